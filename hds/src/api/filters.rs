//! The query-parameter filter vocabulary of docs/api-design.md#filters (with
//! docs/compatibility.md#d25), parsed once into typed
//! values; each resource translates them to SQL with bound parameters.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::AppError;

/// `(start, end)`, either open.
pub type TimeRange = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The most items a comma-separated parameter may hold (`tags=`, `harv_ids=`, …): more is a
/// 400 naming the parameter (docs/api-design.md#lists). Far above any selection the web app
/// makes (the whole fleet, every exception code), far below what would make one request
/// expensive.
pub const MAX_LIST_ITEMS: usize = 1000;

/// Checks a routed request's whole query string once, before its handler reads any of it
/// (the route middleware calls this for every route, so no filter can forget): no parameter
/// may hold a NUL character or more than
/// [`MAX_LIST_ITEMS`] comma-separated items. Each refusal is a 400 naming the parameter.
pub fn check_query(query_string: &str) -> Result<(), AppError> {
    if query_string.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query_string)
        .map_err(|_| AppError::validation_msg("The query string cannot be read."))?;
    for (key, value) in &pairs {
        if key.contains('\0') || value.contains('\0') {
            let name = key.replace('\0', "\\0");
            return Err(AppError::validation_field(
                &name,
                "Null characters are not allowed.",
            ));
        }
        let items = value.split(',').count();
        if items > MAX_LIST_ITEMS {
            return Err(AppError::validation_field(
                key,
                format!("At most {MAX_LIST_ITEMS} comma-separated items (got {items})."),
            ));
        }
    }
    Ok(())
}

/// Query parameters, in order, repeated keys kept.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(query_string: &str) -> Self {
        Query {
            pairs: super::pagination::form_pairs(query_string),
        }
    }

    /// The last non-empty value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// `a,b,c` → strings (empty items dropped); `None` when absent or empty.
    pub fn str_list(&self, key: &str) -> Option<Vec<String>> {
        let items: Vec<String> = self
            .get(key)?
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        (!items.is_empty()).then_some(items)
    }

    /// `1,2,3` → integers; a bad item is a 400 naming the parameter.
    pub fn int_list(&self, key: &str) -> Result<Option<Vec<i64>>, AppError> {
        let Some(items) = self.str_list(key) else {
            return Ok(None);
        };
        items
            .iter()
            .map(|s| {
                s.parse::<i64>().map_err(|_| {
                    AppError::validation_field(key, format!("Enter a whole number (got {s:?})."))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>, AppError> {
        self.get(key)
            .map(|s| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::validation_field(key, "Enter a whole number."))
            })
            .transpose()
    }

    pub fn float(&self, key: &str) -> Result<Option<f64>, AppError> {
        self.get(key)
            .map(|s| {
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| AppError::validation_field(key, "Enter a number."))
            })
            .transpose()
    }

    /// Booleans as the reference's clients send them: `1/0`, `true/false`, `True/False`.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, AppError> {
        self.get(key)
            .map(|s| match s.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(AppError::validation_field(key, "Enter true/false or 1/0.")),
            })
            .transpose()
    }

    /// The `tz` parameter (default US/Pacific) used for naive datetimes.
    pub fn tz(&self) -> Result<Tz, AppError> {
        match self.get("tz") {
            None => Ok(chrono_tz::US::Pacific),
            Some(name) => parse_tz(name),
        }
    }

    pub fn datetime(&self, key: &str) -> Result<Option<DateTime<Utc>>, AppError> {
        let Some(raw) = self.get(key) else {
            return Ok(None);
        };
        let tz = self.tz()?;
        parse_datetime(raw, tz)
            .map(Some)
            .ok_or_else(|| datetime_error(key, raw))
    }

    /// `start,end` (either may be empty).
    pub fn datetime_range(&self, key: &str) -> Result<Option<TimeRange>, AppError> {
        let Some(raw) = self.get(key) else {
            return Ok(None);
        };
        let parts: Vec<&str> = raw.split(',').collect();
        if parts.len() != 2 {
            return Err(AppError::validation_field(
                key,
                "Expected `start,end` (either may be empty).",
            ));
        }
        let tz = self.tz()?;
        let one = |s: &str| -> Result<Option<DateTime<Utc>>, AppError> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            parse_datetime(s.trim(), tz)
                .map(Some)
                .ok_or_else(|| datetime_error(key, s))
        };
        Ok(Some((one(parts[0])?, one(parts[1])?)))
    }

    /// `ordering=a,-b` over the declared fields → `(field, descending)`; unknown fields → 400.
    pub fn ordering(
        &self,
        allowed: &[&'static str],
    ) -> Result<Vec<(&'static str, bool)>, AppError> {
        let Some(items) = self.str_list("ordering") else {
            return Ok(Vec::new());
        };
        // Names a list does not order by are ignored, as the original did (saved links and
        // scripts rely on it; docs/compatibility.md#d103).
        Ok(items
            .iter()
            .filter_map(|item| {
                let (desc, name) = match item.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, item.as_str()),
                };
                allowed.iter().find(|a| **a == name).map(|a| (*a, desc))
            })
            .collect())
    }
}

pub fn parse_tz(name: &str) -> Result<Tz, AppError> {
    let normalized = if name.eq_ignore_ascii_case("utc") {
        "UTC"
    } else {
        name
    };
    normalized
        .parse::<Tz>()
        .map_err(|_| AppError::validation_field("tz", format!("Unknown time zone {name:?}.")))
}

/// The one range of date/times the API accepts, in filters and bodies alike: years 1 to 9999
/// (UTC), the four-digit years every client renders the same way and PostgreSQL stores without
/// trouble (docs/api-design.md#datetimes). Report timestamps have a narrower range of their own
/// (`reports::read::report_time`).
pub const EARLIEST: &str = "0001-01-01T00:00:00Z";
pub const LATEST: &str = "9999-12-31T23:59:59.999999Z";

/// Whether `dt` is within [`EARLIEST`] … [`LATEST`].
pub fn in_accepted_range(dt: &DateTime<Utc>) -> bool {
    use chrono::Datelike;
    (1..=9999).contains(&dt.year())
}

/// The 400 of a date/time that does not parse or is outside the accepted range.
pub fn datetime_error(field: &str, raw: &str) -> AppError {
    AppError::validation_field(
        field,
        format!("Enter a valid date/time from year 1 to 9999 (got {raw:?})."),
    )
}

/// Accepts RFC 3339 (offset or `Z`, D25) and the reference's naive forms, which are read as
/// wall time in `tz`: `2023-05-02 21:27:42.789`, `2023-05-02T21:27:42`, `2023-05-02`,
/// `YYYYMMDDTHHMMSS.ffffff`, `YYYYMMDDHHMMSS`; within the accepted range
/// ([`in_accepted_range`]).
pub fn parse_datetime(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    parse_any_datetime(raw, tz).filter(in_accepted_range)
}

fn parse_any_datetime(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(raw) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(dt.with_timezone(&Utc));
    }
    const NAIVE: [&str; 6] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y%m%dT%H%M%S%.f",
        "%Y%m%d%H%M%S",
    ];
    let naive = NAIVE
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    // Ambiguous wall times (DST fall-back) take the earlier instant; skipped ones are invalid.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|dt| dt.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::parse(s)
    }

    #[test]
    fn the_query_string_is_checked_once_for_every_parameter() {
        assert!(check_query("").is_ok());
        assert!(check_query("harv_ids=1,2&tags=a%2Cb").is_ok());
        let many = (0..=MAX_LIST_ITEMS)
            .map(|i| i.to_string())
            .collect::<Vec<_>>();
        let err = check_query(&format!("tags={}", many.join(","))).unwrap_err();
        assert!(err.to_string().contains("tags"), "{err}");
        assert!(check_query(&format!("tags={}", many[1..].join(","))).is_ok());
        let err = check_query("harv_ids=1&traceback=a%00b").unwrap_err();
        assert!(err.to_string().contains("traceback"), "{err}");
        assert!(check_query("key%00=1").is_err());
        // Bytes that are not UTF-8 decode to U+FFFD, as everywhere the query is read.
        assert!(check_query("harv_ids=%FF").is_ok());
    }

    #[test]
    fn lists_are_typed() {
        assert_eq!(
            q("harv_ids=11,100").int_list("harv_ids").unwrap(),
            Some(vec![11, 100])
        );
        assert_eq!(q("harv_ids=").int_list("harv_ids").unwrap(), None);
        assert!(q("harv_ids=1,x").int_list("harv_ids").is_err());
        assert_eq!(
            q("locations=Ranch%20A,Ranch%20B")
                .str_list("locations")
                .unwrap(),
            vec!["Ranch A", "Ranch B"]
        );
    }

    #[test]
    fn datetimes_naive_in_tz_and_rfc3339() {
        let pacific = chrono_tz::US::Pacific;
        let utc = "2022-05-02T21:27:42.789323Z";
        let expected = DateTime::parse_from_rfc3339(utc)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_datetime(utc, pacific), Some(expected));
        assert_eq!(
            parse_datetime("20220502T142742.789323", pacific),
            Some(expected)
        );
        assert_eq!(
            parse_datetime("2022-05-02 14:27:42.789323", pacific),
            Some(expected)
        );
        assert_eq!(
            parse_datetime("2022-05-02T21:27:42.789323+00:00", pacific),
            Some(expected)
        );
        let utc_tz = parse_tz("utc").unwrap();
        assert_eq!(
            parse_datetime("20220502T212742.789323", utc_tz),
            Some(expected)
        );
        assert_eq!(parse_datetime("not a date", pacific), None);
        for outside in [
            "-4713-01-01T00:00:00Z",
            "0000-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z",
            "-4368-05-02 00:00:00",
            "99999-01-01",
        ] {
            assert_eq!(parse_datetime(outside, utc_tz), None, "{outside}");
        }
        assert!(parse_datetime(EARLIEST, utc_tz).is_some());
        assert!(parse_datetime(LATEST, utc_tz).is_some());
        let err = q("created_after=-4713-01-01")
            .datetime("created_after")
            .unwrap_err();
        assert!(err.to_string().contains("9999"), "{err}");
        assert!(
            q("created_after=garbage")
                .datetime("created_after")
                .is_err(),
            "D25: never silently ignored"
        );
        assert!(q("tz=Mars/Base").tz().is_err());
    }

    #[test]
    fn ranges_and_ordering() {
        let r = q("datetime_range=20220101T000100.0,&tz=UTC")
            .datetime_range("datetime_range")
            .unwrap()
            .unwrap();
        assert!(r.0.is_some() && r.1.is_none());
        assert!(q("datetime_range=a")
            .datetime_range("datetime_range")
            .is_err());
        let o = q("ordering=-reportTime,id")
            .ordering(&["id", "reportTime"])
            .unwrap();
        assert_eq!(o, vec![("reportTime", true), ("id", false)]);
        assert_eq!(
            q("ordering=password,-id").ordering(&["id"]).unwrap(),
            vec![("id", true)],
            "unknown names are ignored"
        );
        assert_eq!(q("primary=True").bool("primary").unwrap(), Some(true));
        assert!(q("primary=maybe").bool("primary").is_err());
    }
}

/// The type of a query parameter, as [`Query`] parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// Any text.
    Text,
    /// Comma-separated texts (`a,b`).
    Texts,
    /// A whole number.
    Int,
    /// Comma-separated whole numbers (`1,2`).
    Ints,
    /// A number (`-97.5`).
    Float,
    /// `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
    Bool,
    /// A date/time, in `tz` when it has no offset.
    Time,
    /// `start,end` date/times, either may be empty.
    TimeRange,
    /// A time zone name (`UTC`, `US/Pacific`).
    Zone,
}

/// A filter a list route reads: declared once (next to the code that applies it), documented in
/// the OpenAPI document and checked by a test that every declared filter is applied with its
/// declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamType,
    pub doc: &'static str,
}

impl Param {
    pub const fn new(name: &'static str, ty: ParamType, doc: &'static str) -> Param {
        Param { name, ty, doc }
    }
}

/// `created_after` / `created_before` (what [`crate::api::sql::Where::created`] reads).
pub const CREATED_AFTER: Param = Param::new(
    "created_after",
    ParamType::Time,
    "Created at or after this time.",
);
pub const CREATED_BEFORE: Param = Param::new(
    "created_before",
    ParamType::Time,
    "Created at or before this time.",
);
/// `tags` (what [`crate::api::sql::Where::tags`] reads).
pub const TAGS: Param = Param::new("tags", ParamType::Texts, "Has all of these tags.");
// Filters several lists read alike.
pub const HARV_IDS: Param = Param::new(
    "harv_ids",
    ParamType::Ints,
    "From these harvesters (serial numbers).",
);
pub const LOCATIONS: Param = Param::new("locations", ParamType::Texts, "At these ranches.");
pub const UUIDS: Param = Param::new("uuid", ParamType::Texts, "Of events with these UUIDs.");
pub const START_TIME: Param = Param::new("start_time", ParamType::Time, "At or after this time.");
pub const END_TIME: Param = Param::new("end_time", ParamType::Time, "At or before this time.");
pub const IS_EMULATOR: Param = Param::new(
    "is_emulator",
    ParamType::Bool,
    "From emulators, or from real harvesters.",
);
pub const CODES: Param = Param::new("codes", ParamType::Ints, "With exceptions of these codes.");
pub const FRUITS: Param = Param::new(
    "fruits",
    ParamType::Texts,
    "From harvesters picking these fruits.",
);
pub const TRACEBACK: Param = Param::new("traceback", ParamType::Text, "A traceback contains this.");
pub const HANDLED: Param = Param::new(
    "handled",
    ParamType::Bool,
    "Handled (or unhandled) exceptions.",
);

/// `tz`: the zone of date/times given without an offset (default US/Pacific).
pub const TZ: Param = Param::new(
    "tz",
    ParamType::Zone,
    "Time zone of date/times without an offset (default US/Pacific).",
);
