//! LimitOffset pagination: `{count, next, previous, results}` with absolute links.

use actix_web::HttpRequest;
use serde::Serialize;

pub const DEFAULT_LIMIT: i64 = 10;
/// The web app asks for exactly this many to fill drop-downs; larger values are clamped.
pub const MAX_LIMIT: i64 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageParams {
    pub limit: i64,
    pub offset: i64,
}

impl PageParams {
    /// Reads `limit`/`offset` from a query string; invalid values fall back to the defaults
    /// (as the reference does).
    pub fn from_query(query: &str) -> Self {
        let mut limit = DEFAULT_LIMIT;
        let mut offset = 0;
        for (k, v) in form_pairs(query) {
            match k.as_str() {
                "limit" => {
                    if let Ok(n) = v.parse::<i64>() {
                        if n > 0 {
                            limit = n.min(MAX_LIMIT);
                        }
                    }
                }
                "offset" => {
                    if let Ok(n) = v.parse::<i64>() {
                        offset = n.max(0);
                    }
                }
                _ => {}
            }
        }
        PageParams { limit, offset }
    }

    pub fn from_request(req: &HttpRequest) -> Self {
        Self::from_query(req.query_string())
    }
}

pub fn form_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default()
}

/// The absolute URL of this request with `limit`/`offset` replaced.
fn page_url(req: &HttpRequest, limit: i64, offset: Option<i64>) -> String {
    let info = req.connection_info();
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
        "{}://{}{}?{}",
        info.scheme(),
        info.host(),
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
    let next =
        (p.offset + p.limit < count).then(|| page_url(req, p.limit, Some(p.offset + p.limit)));
    let previous = (p.offset > 0).then(|| {
        let prev = p.offset - p.limit;
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
            PageParams::from_query(""),
            PageParams {
                limit: 10,
                offset: 0
            }
        );
        assert_eq!(PageParams::from_query("limit=20000&offset=5").limit, 10_000);
        assert_eq!(
            PageParams::from_query("limit=abc&offset=-3"),
            PageParams {
                limit: 10,
                offset: 0
            }
        );
    }

    #[test]
    fn links_are_absolute_and_respect_forwarded_headers() {
        let req = TestRequest::get()
            .uri("/api/v1/fruits/?limit=1&offset=1&name=a")
            .insert_header(("X-Forwarded-Proto", "https"))
            .insert_header(("X-Forwarded-Host", "hds.example.org"))
            .to_http_request();
        let p = PageParams::from_request(&req);
        let v = serde_json::to_value(page(&req, p, 3, vec![1])).unwrap();
        assert_eq!(
            v["next"],
            "https://hds.example.org/api/v1/fruits/?name=a&limit=1&offset=2"
        );
        assert_eq!(
            v["previous"],
            "https://hds.example.org/api/v1/fruits/?name=a&limit=1"
        );
        assert_eq!(v["count"], 3);
    }
}
