//! Wire formats shared by every representation.

/// Datetimes as the reference renders them: UTC, microseconds, `Z` (`2022-05-02T21:27:42.789323Z`).
pub mod datetime {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn format(dt: &DateTime<Utc>) -> String {
        dt.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }

    pub fn serialize<S: Serializer>(dt: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(dt))
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            dt: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match dt {
                Some(dt) => s.serialize_str(&format(dt)),
                None => s.serialize_none(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn formats_like_the_reference() {
        let dt = chrono::Utc.timestamp_micros(1_651_526_862_789_323).unwrap();
        assert_eq!(super::datetime::format(&dt), "2022-05-02T21:27:42.789323Z");
    }
}
