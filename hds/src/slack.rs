//! Slack Web API (`chat.postMessage`) at `SLACK_API_URL` with `SLACK_TOKEN`.

use std::time::Duration;

use serde_json::{json, Value};

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
