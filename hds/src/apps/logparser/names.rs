//! What a member's file name says (contract §4.15): the session's date and harvester from the
//! first file name, a log file's service and robot, a video's category and robot.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// The first 14 consecutive digits, read as `YYYYMMDDHHMMSS` in US/Pacific.
pub fn session_date(name: &str) -> Option<DateTime<Utc>> {
    let b = name.as_bytes();
    let mut run = 0;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
            if run == 14 {
                let digits = &name[i + 1 - 14..=i];
                let naive = NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok()?;
                return match chrono_tz::US::Pacific.from_local_datetime(&naive) {
                    chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                        Some(t.with_timezone(&Utc))
                    }
                    chrono::LocalResult::None => None,
                };
            }
        } else {
            run = 0;
        }
    }
    None
}

/// The first `_NNN` group (`_` and three digits), as a number: the harvester's `harv_id`.
pub fn harv_id(name: &str) -> Option<i32> {
    let b = name.as_bytes();
    (0..b.len().saturating_sub(3))
        .find(|&i| b[i] == b'_' && b[i + 1..i + 4].iter().all(u8::is_ascii_digit))
        .and_then(|i| name[i + 1..i + 4].parse().ok())
}

/// The first `_NN_` group, as a number: the robot.
pub fn robot(name: &str) -> Option<i32> {
    let b = name.as_bytes();
    (0..b.len().saturating_sub(3))
        .find(|&i| {
            b[i] == b'_'
                && b[i + 1].is_ascii_digit()
                && b[i + 2].is_ascii_digit()
                && b[i + 3] == b'_'
        })
        .and_then(|i| name[i + 1..i + 3].parse().ok())
}

/// The first match of `[a-z]+(_[a-z]+)?`: a log file's service, a video's category.
pub fn service(name: &str) -> String {
    let b = name.as_bytes();
    let lower = |c: &u8| c.is_ascii_lowercase();
    let Some(start) = b.iter().position(lower) else {
        return String::new();
    };
    let mut end = start;
    while end < b.len() && lower(&b[end]) {
        end += 1;
    }
    if end + 1 < b.len() && b[end] == b'_' && lower(&b[end + 1]) {
        end += 1;
        while end < b.len() && lower(&b[end]) {
            end += 1;
        }
    }
    name[start..end].to_string()
}

/// The member's name without its directories.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The lower-case extension, without the dot.
pub fn extension(name: &str) -> String {
    base_name(name)
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The name without its extension.
pub fn stem(name: &str) -> &str {
    let base = base_name(name);
    base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_names_read_as_the_reference_read_them() {
        let n = "20230131131250_010_03_robot.log";
        assert_eq!(service(n), "robot");
        assert_eq!(robot(n), Some(3));
        assert_eq!(harv_id(n), Some(10));
        assert_eq!(
            session_date(n).unwrap().to_rfc3339(),
            "2023-01-31T21:12:50+00:00"
        );
        // The pattern is lower-case: the CAN dump's first match is its extension.
        assert_eq!(service("20230131131250_010_03_CAN.dump"), "dump");
        assert_eq!(service("x_01_drive_cam.avi"), "x");
        assert_eq!(service("20230131_01_drive_cam_left.avi"), "drive_cam");
        assert_eq!(robot("a_1_b"), None);
        assert_eq!(harv_id("nothing"), None);
        assert_eq!(session_date("2023013113125"), None);
        assert_eq!(extension("a/b/c.LOG"), "log");
        assert_eq!(stem("a/b/c.x.avi"), "c.x");
    }
}
