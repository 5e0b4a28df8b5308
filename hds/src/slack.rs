//! Slack Web API (`chat.postMessage`) at `SLACK_API_URL` with `SLACK_TOKEN`.

use std::time::Duration;

use serde_json::{json, Value};

/// Names Slack treats as "notify everyone" wherever they appear as a mention.
const BROADCASTS: &[&str] = &["channel", "here", "everyone", "group"];

/// Whether `id` may be stored as a user's `slack_id` (docs/api-design.md#users): a Slack member
/// id (`U0AFT0001`, `W…`) or a handle of letters, digits and `.`, `_`, `-`, `@` (the
/// original's data holds `name@domain` ones) starting with a letter or digit, at most 64
/// characters, and never a broadcast name (`channel`, `here`, `everyone`, `group`). It is
/// written into messages as `<@id>`, so markup (`<`, `>`, `!`, `|`, spaces) can never get in.
pub fn check_slack_id(id: &str) -> Result<(), String> {
    let shape_ok = id.chars().count() <= 64
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if !shape_ok {
        return Err("Enter a Slack member id (U…) or handle: up to 64 letters, digits and ./_/-/@, starting with a letter or digit.".into());
    }
    let name = id.split('@').next().unwrap_or(id).to_ascii_lowercase();
    if BROADCASTS.contains(&name.as_str()) {
        return Err(format!(
            "\"{id}\" would notify everyone; use a person's member id."
        ));
    }
    Ok(())
}

/// `<@id>` for a stored Slack id, or nothing when the id is not one [`check_slack_id`]
/// accepts (a row written before the check, or loaded from fixtures).
pub fn mention(id: &str) -> Option<String> {
    check_slack_id(id).ok().map(|()| format!("<@{id}>"))
}

#[derive(Clone)]
pub struct Slack {
    http: reqwest::Client,
    token: Option<String>,
    api_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SlackError {
    #[error("Slack is disabled (no SLACK_TOKEN)")]
    Disabled,
    #[error("Slack request failed: {0}")]
    Transport(String),
    #[error("Slack answered {0}")]
    Api(String),
}

impl Slack {
    pub fn new(token: Option<String>, api_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("HTTP client");
        Slack {
            http,
            token,
            api_url: api_url.trim_end_matches('/').to_string(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.token.is_some()
    }

    /// A plain text message.
    pub async fn post_text(&self, channel: &str, text: &str) -> Result<(), SlackError> {
        self.post(json!({ "channel": channel, "text": text })).await
    }

    /// Any `chat.postMessage` payload (e.g. with blocks).
    pub async fn post(&self, message: Value) -> Result<(), SlackError> {
        let Some(token) = &self.token else {
            crate::metrics::async_error("post_to_slack", "none", "no_token");
            tracing::debug!(channel = %message["channel"], "Slack disabled (no SLACK_TOKEN); message not sent");
            return Err(SlackError::Disabled);
        };
        let resp = self
            .http
            .post(format!("{}/chat.postMessage", self.api_url))
            .bearer_auth(token)
            .json(&message)
            .send()
            .await
            .map_err(|e| SlackError::Transport(e.to_string()))?;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        // Slack reports failures as 200 with `ok: false`.
        if !status.is_success() || body.get("ok") != Some(&Value::Bool(true)) {
            let why = body
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or(status.as_str())
                .to_string();
            crate::metrics::async_error("post_to_slack", "SlackApiError", &why);
            return Err(SlackError::Api(why));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_ids_are_member_ids_or_handles_never_broadcasts_or_markup() {
        for ok in ["U0AFT0001", "W123ABC", "jane.doe", "slack@aft.aft", "a_b-c"] {
            assert!(check_slack_id(ok).is_ok(), "{ok}");
            assert_eq!(mention(ok).unwrap(), format!("<@{ok}>"));
        }
        let long = "u".repeat(65);
        for bad in [
            "@channel",
            "@here",
            "channel",
            "HERE",
            "everyone",
            "here@x",
            "<!channel>",
            "U1> <!here",
            "a|b",
            "",
            "a b",
            "!subteam",
            long.as_str(),
            "ünï",
        ] {
            assert!(check_slack_id(bad).is_err(), "{bad}");
            assert_eq!(mention(bad), None, "{bad}");
        }
    }
}
