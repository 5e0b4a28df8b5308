//! The texts sent to Slack about an error report (docs/api-design.md#slack-messages,
//! docs/compatibility.md#d11).

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// What the messages need to know about one exception.
#[derive(Debug, Clone)]
pub struct ExceptionInfo {
    pub service: String,
    pub robot: i32,
    pub handled: bool,
    pub primary: Option<bool>,
    pub code: i32,
    pub code_name: String,
    pub cycle: bool,
    pub operator_msg: String,
    pub info: String,
}

#[derive(Debug, Clone)]
pub struct ReportInfo {
    pub id: i64,
    pub harv_id: i32,
    pub harvester_name: String,
    pub ranch: String,
    pub site_channel: String,
    /// Python's `str(datetime)`: `2022-05-02 21:27:42.789323+00:00`.
    pub report_time: String,
    /// Sorted by timestamp.
    pub exceptions: Vec<ExceptionInfo>,
}

fn exception_text(e: &ExceptionInfo) -> String {
    let role = match e.primary {
        Some(true) => "Primary",
        Some(false) => "Secondary",
        None => "unknown",
    };
    let handled = if e.handled { "handled" } else { "unhandled" };
    format!(
        "{}.{} {handled} error: {} ({role})",
        e.service, e.robot, e.code_name
    )
}

/// The report's text form, as the reference's `str(report)`.
pub fn report_text(r: &ReportInfo) -> String {
    let (action, emoji) = if r.exceptions.is_empty() {
        ("*Unknown: No exceptions received.*", ":question:")
    } else if r.exceptions.iter().all(|e| e.handled) {
        if r.exceptions.iter().all(|e| e.cycle) {
            ("*Attempting to cycle the robot.*", ":recycle:")
        } else {
            ("*Disarming the robot.*", ":large_yellow_circle:")
        }
    } else {
        ("*Unable to handle.*", ":red_circle:")
    };
    let mut s = format!("{emoji} *Error on Harvester {}* {emoji}\n", r.harv_id);
    s.push_str(&format!("ts: {}\n", r.report_time));
    s.push_str(&format!("Action: {action}\n"));
    s.push_str("Exceptions: ");
    for e in &r.exceptions {
        s.push_str("\n\t");
        s.push_str(&exception_text(e));
    }
    s.push('\n');
    s.push_str(&format!("Location: {}\n", r.ranch));
    s
}

/// The unit an unhandled exception is about: the tray changer unit named in `info`, else the
/// robot; 0 is the master.
fn unit_of(e: &ExceptionInfo) -> (String, &'static str) {
    let (n, emoji) = if e.info.contains("traychg") {
        let digit = e
            .info
            .split("traychgunit.")
            .nth(1)
            .and_then(|rest| rest.chars().next())
            .and_then(|c| c.to_digit(10))
            .map(|d| d as i32)
            .unwrap_or(e.robot);
        (digit, ":red_cross: :outbox_tray:")
    } else {
        (e.robot, ":red_cross:")
    };
    (
        if n == 0 {
            "master".to_string()
        } else {
            format!("r{n}")
        },
        emoji,
    )
}

/// The operator message for the location's site channel, or `None` when every exception was
/// handled. D11: a unit's generic base-code (code 0) message is dropped when the same unit
/// has a more specific one.
pub fn operator_message(r: &ReportInfo) -> Option<Value> {
    let mut per_unit: BTreeMap<String, Vec<(i32, String)>> = BTreeMap::new();
    for e in r.exceptions.iter().filter(|e| !e.handled) {
        let (unit, emoji) = unit_of(e);
        let msg = format!("{} {emoji}", e.operator_msg);
        let entry = per_unit.entry(unit).or_default();
        if !entry.iter().any(|(_, m)| *m == msg) {
            entry.push((e.code, msg));
        }
    }
    let mut by_message: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (unit, msgs) in per_unit {
        let specific = msgs.iter().any(|(code, _)| *code != 0);
        for (code, msg) in msgs {
            if code == 0 && specific {
                continue;
            }
            by_message.entry(msg).or_default().push(unit.clone());
        }
    }
    if by_message.is_empty() {
        return None;
    }
    let mut blocks = vec![json!({
        "type": "context",
        "elements": [{ "type": "mrkdwn", "text": format!(":warning: *{}* ERROR! :warning:", r.harvester_name) }]
    })];
    for (msg, units) in by_message {
        blocks.push(json!({
            "type": "section",
            "text": { "type": "mrkdwn", "text": format!("Unit(s): {} -> {msg}", units.join(", ")) }
        }));
    }
    Some(json!({ "channel": r.site_channel, "text": "*OPERATOR MESSAGE*", "blocks": blocks }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exc(
        service: &str,
        robot: i32,
        handled: bool,
        code: i32,
        info: &str,
        msg: &str,
    ) -> ExceptionInfo {
        ExceptionInfo {
            service: service.into(),
            robot,
            handled,
            primary: Some(robot == 0),
            code,
            code_name: format!("Code{code}"),
            cycle: false,
            operator_msg: msg.into(),
            info: info.into(),
        }
    }

    fn report(exceptions: Vec<ExceptionInfo>) -> ReportInfo {
        ReportInfo {
            id: 1,
            harv_id: 11,
            harvester_name: "Harvester 1".into(),
            ranch: "Ranch A".into(),
            site_channel: "harvs-dev".into(),
            report_time: "2022-05-02 21:27:42.789323+00:00".into(),
            exceptions,
        }
    }

    #[test]
    fn report_text_lists_exceptions_and_action() {
        let r = report(vec![exc("traychg", 0, false, 0, "", "x")]);
        let t = report_text(&r);
        assert!(
            t.starts_with(":red_circle: *Error on Harvester 11* :red_circle:\n"),
            "{t}"
        );
        assert!(t.contains("Action: *Unable to handle.*\n"));
        assert!(t.contains("Exceptions: \n\ttraychg.0 unhandled error: Code0 (Primary)\n"));
        assert!(t.ends_with("Location: Ranch A\n"));
        assert!(report_text(&report(vec![])).contains("*Unknown: No exceptions received.*"));
        let mut handled = exc("a", 1, true, 1, "", "x");
        handled.cycle = true;
        assert!(report_text(&report(vec![handled])).contains(":recycle:"));
    }

    #[test]
    fn operator_message_groups_units_and_drops_generic_messages() {
        let r = report(vec![
            exc(
                "traychg",
                0,
                false,
                0,
                "traychgunit.1 Error: No tray",
                "Please cycle the harvester",
            ),
            exc(
                "traychg",
                0,
                false,
                5,
                "traychgunit.1 Error: jam",
                "Clear the tray jam",
            ),
            exc(
                "harvester",
                0,
                false,
                0,
                "boom",
                "Please cycle the harvester",
            ),
            exc(
                "robot",
                2,
                true,
                0,
                "handled one",
                "Please cycle the harvester",
            ),
        ]);
        let m = operator_message(&r).unwrap();
        assert_eq!(m["channel"], "harvs-dev");
        assert_eq!(m["text"], "*OPERATOR MESSAGE*");
        let texts: Vec<&str> = m["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .map(|b| b["text"]["text"].as_str().unwrap())
            .collect();
        assert_eq!(
            texts,
            vec![
                "Unit(s): r1 -> Clear the tray jam :red_cross: :outbox_tray:",
                "Unit(s): master -> Please cycle the harvester :red_cross:",
            ]
        );
        assert!(operator_message(&report(vec![exc("a", 1, true, 0, "", "x")])).is_none());
    }
}
