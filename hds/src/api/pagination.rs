//! LimitOffset pagination: `{count, next, previous, results}` with absolute links.

use std::num::IntErrorKind;

use actix_web::HttpRequest;
use serde::Serialize;

use crate::error::AppError;

pub const DEFAULT_LIMIT: i64 = 10;
/// The web app asks for exactly this many to fill drop-downs; larger values are clamped.
pub const MAX_LIMIT: i64 = 10_000;
/// The largest `offset` (2^53 − 1, the largest integer a JavaScript client reads exactly); a
/// larger one is a 400 naming `offset`. With it no page arithmetic can overflow.
pub const MAX_OFFSET: i64 = (1 << 53) - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageParams {
    pub limit: i64,
    pub offset: i64,
}

impl PageParams {
    /// Reads `limit`/`offset` from a query string. Values that are not numbers fall back to the
    /// defaults (as the reference does); a `limit` above [`MAX_LIMIT`] is clamped (D26); an
    /// `offset` above [`MAX_OFFSET`] is a 400 (docs/api-design.md#pagination).
    pub fn from_query(query: &str) -> Result<Self, AppError> {
        let mut limit = DEFAULT_LIMIT;
        let mut offset = 0;
        for (k, v) in form_pairs(query) {
            match k.as_str() {
                "limit" => match v.trim().parse::<i64>() {
                    Ok(n) if n > 0 => limit = n.min(MAX_LIMIT),
                    Err(e) if *e.kind() == IntErrorKind::PosOverflow => limit = MAX_LIMIT,
                    _ => {}
                },
                "offset" => match v.trim().parse::<i64>() {
                    Ok(n) if n <= MAX_OFFSET => offset = n.max(0),
                    Ok(_) => return Err(offset_too_large()),
                    Err(e) if *e.kind() == IntErrorKind::PosOverflow => {
                        return Err(offset_too_large())
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        Ok(PageParams { limit, offset })
    }

    pub fn from_request(req: &HttpRequest) -> Result<Self, AppError> {
        Self::from_query(req.query_string())
    }
}

fn offset_too_large() -> AppError {
    AppError::validation_field(
        "offset",
        format!("Ensure this value is less than or equal to {MAX_OFFSET}."),
    )
}

pub fn form_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

/// The absolute URL of this request with `limit`/`offset` replaced.
/// Scheme and host come from `proxies::base_url`: the client's own `Host` and
/// `X-Forwarded-*` only through a trusted proxy (docs/api-design.md#clients-and-proxies).
fn page_url(req: &HttpRequest, limit: i64, offset: Option<i64>) -> String {
    let mut pairs: Vec<(String, String)> = form_pairs(req.query_string())
        .into_iter()
        .filter(|(k, _)| k != "limit" && k != "offset")
        .collect();
    pairs.push(("limit".into(), limit.to_string()));
    if let Some(o) = offset {
        pairs.push(("offset".into(), o.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!(
        "{}{}?{}",
        crate::api::proxies::base_url(req),
        req.path(),
        query
    )
}

/// Builds the page object.
/// A LimitOffset page: `{count, next, previous, results}`.
#[derive(Serialize, Debug)]
pub struct Page<T> {
    pub count: i64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
}

pub fn page<T: Serialize>(
    req: &HttpRequest,
    p: PageParams,
    count: i64,
    results: Vec<T>,
) -> Page<T> {
    // Checked: `offset` and `limit` are the client's numbers.
    let after = p.offset.saturating_add(p.limit);
    let next = (after < count).then(|| page_url(req, p.limit, Some(after)));
    let previous = (p.offset > 0).then(|| {
        let prev = p.offset.saturating_sub(p.limit);
        // Like DRF, the first page's link carries no offset.
        page_url(req, p.limit, (prev > 0).then_some(prev))
    });
    Page {
        count,
        next,
        previous,
        results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn limits_are_clamped_and_defaults_apply() {
        assert_eq!(
            PageParams::from_query("").unwrap(),
            PageParams {
                limit: 10,
                offset: 0
            }
        );
        let read = |q: &str| PageParams::from_query(q).expect("valid");
        assert_eq!(read("limit=20000&offset=5").limit, 10_000);
        assert_eq!(read("limit=99999999999999999999999").limit, 10_000);
        assert_eq!(
            read("limit=abc&offset=-3"),
            PageParams {
                limit: 10,
                offset: 0
            }
        );
        assert_eq!(read("offset=-99999999999999999999").offset, 0);
        assert_eq!(read(&format!("offset={MAX_OFFSET}")).offset, MAX_OFFSET);
        for huge in [
            "9223372036854775000",
            "9223372036854775807",
            "99999999999999999999",
        ] {
            let err = PageParams::from_query(&format!("limit=10000&offset={huge}")).unwrap_err();
            assert!(err.to_string().contains("offset"), "{huge}: {err}");
        }
    }

    #[test]
    fn links_are_absolute_and_ignore_headers_of_untrusted_clients() {
        // No trusted proxy here: the client's `Host` and `X-Forwarded-*` are not believed, the
        // link names the address the connection came in on (the trusted case:
        // tests/api/conventions.rs).
        let req = TestRequest::get()
            .uri("/api/v1/fruits/?limit=1&offset=1&name=a")
            .insert_header(("Host", "evil.example"))
            .insert_header(("X-Forwarded-Proto", "https"))
            .insert_header(("X-Forwarded-Host", "evil.example"))
            .to_http_request();
        let p = PageParams::from_request(&req).unwrap();
        let v = serde_json::to_value(page(&req, p, 3, vec![1])).unwrap();
        assert_eq!(
            v["next"],
            "http://127.0.0.1:8080/api/v1/fruits/?name=a&limit=1&offset=2"
        );
        assert_eq!(
            v["previous"],
            "http://127.0.0.1:8080/api/v1/fruits/?name=a&limit=1"
        );
        assert_eq!(v["count"], 3);
    }
}
