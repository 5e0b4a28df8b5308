//! S3 and SQS clients: AWS in production, moto locally, the same code via `AWS_ENDPOINT_URL`.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use tokio::sync::OnceCell;

use crate::config::Config;

/// Presigned download links live at most this long.
pub const LINK_LIFETIME: Duration = Duration::from_secs(15 * 60);

async fn sdk_config(config: &Config) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(config.aws_region.clone()));
    if let Some(url) = &config.aws_endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

pub async fn s3_client(config: &Config) -> aws_sdk_s3::Client {
    let sdk = sdk_config(config).await;
    let s3 = aws_sdk_s3::config::Builder::from(&sdk)
        .force_path_style(config.aws_endpoint_url.is_some())
        .build();
    aws_sdk_s3::Client::from_conf(s3)
}

pub async fn sqs_client(config: &Config) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&sdk_config(config).await)
}

/// The API's S3 access, created on first use (credential discovery is asynchronous).
pub struct Storage {
    config: Config,
    client: OnceCell<aws_sdk_s3::Client>,
}

impl Storage {
    pub fn new(config: Config) -> Self {
        Storage {
            config,
            client: OnceCell::new(),
        }
    }

    async fn client(&self) -> &aws_sdk_s3::Client {
        self.client.get_or_init(|| s3_client(&self.config)).await
    }

    /// A presigned GET (≤ 15 min) that downloads as an attachment under a sanitised name.
    pub async fn download_url(&self, bucket: &str, key: &str) -> anyhow::Result<String> {
        let name = sanitize_filename(key.rsplit('/').next().unwrap_or(key));
        let req = self
            .client()
            .await
            .get_object()
            .bucket(bucket)
            .key(key)
            .response_content_disposition(format!("attachment; filename=\"{name}\""))
            .presigned(PresigningConfig::expires_in(LINK_LIFETIME)?)
            .await?;
        Ok(req.uri().to_string())
    }

    pub async fn delete(&self, bucket: &str, key: &str) -> anyhow::Result<()> {
        self.client()
            .await
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await?;
        Ok(())
    }
}

/// Letters, digits, `.`, `-`, `_` only (for Content-Disposition).
pub fn sanitize_filename(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "download".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn filenames_are_sanitised() {
        assert_eq!(
            super::sanitize_filename("robot log\"; x=.txt"),
            "robot_log___x_.txt"
        );
        assert_eq!(super::sanitize_filename(""), "download");
    }
}
