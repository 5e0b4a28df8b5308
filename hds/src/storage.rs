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

    /// The configured bucket.
    pub fn bucket(&self) -> &str {
        &self.config.bucket
    }

    /// Starts a multipart upload to `key` of the configured bucket: the body is sent in parts of
    /// [`PART_SIZE`], so an upload of any size holds one part in memory.
    pub async fn begin_upload(&self, key: &str, content_type: &str) -> anyhow::Result<Upload> {
        let client = self.client().await.clone();
        let bucket = self.config.bucket.clone();
        let created = client
            .create_multipart_upload()
            .bucket(&bucket)
            .key(key)
            .content_type(content_type)
            .send()
            .await?;
        let upload_id = created
            .upload_id()
            .ok_or_else(|| anyhow::anyhow!("S3 gave no upload id"))?
            .to_string();
        Ok(Upload {
            client,
            bucket,
            key: key.to_string(),
            upload_id,
            parts: Vec::new(),
            buf: Vec::with_capacity(PART_SIZE),
            size: 0,
        })
    }

    /// `len` bytes of the object from `start`.
    pub async fn read_range(
        &self,
        bucket: &str,
        key: &str,
        start: u64,
        len: u64,
    ) -> anyhow::Result<Vec<u8>> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let got = self
            .client()
            .await
            .get_object()
            .bucket(bucket)
            .key(key)
            .range(format!("bytes={start}-{}", start + len - 1))
            .send()
            .await?;
        let bytes = got.body.collect().await?.into_bytes();
        anyhow::ensure!(bytes.len() as u64 == len, "short ranged read");
        Ok(bytes.to_vec())
    }

    /// Streams the object into `file` (never whole in memory); returns its size.
    pub async fn download_to(
        &self,
        bucket: &str,
        key: &str,
        file: &mut tokio::fs::File,
    ) -> anyhow::Result<u64> {
        use tokio::io::AsyncWriteExt;
        let mut got = self
            .client()
            .await
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await?;
        let mut n = 0u64;
        while let Some(chunk) = got.body.try_next().await? {
            file.write_all(&chunk).await?;
            n += chunk.len() as u64;
        }
        file.flush().await?;
        Ok(n)
    }

    /// Uploads a file from disk (streamed) to `key` of the configured bucket; its ETag and size.
    pub async fn put_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
    ) -> anyhow::Result<(String, i64)> {
        let size = tokio::fs::metadata(path).await?.len() as i64;
        let body = aws_sdk_s3::primitives::ByteStream::from_path(path).await?;
        let put = self
            .client()
            .await
            .put_object()
            .bucket(&self.config.bucket)
            .key(key)
            .content_type(content_type)
            .body(body)
            .send()
            .await?;
        Ok((
            put.e_tag()
                .unwrap_or_default()
                .trim_matches('"')
                .to_string(),
            size,
        ))
    }

    /// The object's ETag (without quotes).
    pub async fn etag(&self, bucket: &str, key: &str) -> anyhow::Result<String> {
        let head = self
            .client()
            .await
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await?;
        Ok(head
            .e_tag()
            .unwrap_or_default()
            .trim_matches('"')
            .to_string())
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

/// Parts of a multipart upload (S3's minimum is 5 MiB for every part but the last).
pub const PART_SIZE: usize = 8 * 1024 * 1024;

/// A multipart upload in progress ([`Storage::begin_upload`]): [`write`](Self::write) the body,
/// then [`finish`](Self::finish), or [`abort`](Self::abort) so S3 keeps none of it.
pub struct Upload {
    client: aws_sdk_s3::Client,
    bucket: String,
    pub key: String,
    upload_id: String,
    parts: Vec<aws_sdk_s3::types::CompletedPart>,
    buf: Vec<u8>,
    /// Bytes written so far.
    pub size: u64,
}

impl Upload {
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    pub async fn write(&mut self, mut bytes: &[u8]) -> anyhow::Result<()> {
        self.size += bytes.len() as u64;
        while !bytes.is_empty() {
            let room = PART_SIZE - self.buf.len();
            let take = room.min(bytes.len());
            self.buf.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.buf.len() == PART_SIZE {
                self.send_part().await?;
            }
        }
        Ok(())
    }

    async fn send_part(&mut self) -> anyhow::Result<()> {
        let number = self.parts.len() as i32 + 1;
        let body = std::mem::replace(&mut self.buf, Vec::with_capacity(PART_SIZE));
        let sent = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .part_number(number)
            .body(aws_sdk_s3::primitives::ByteStream::from(body))
            .send()
            .await?;
        self.parts.push(
            aws_sdk_s3::types::CompletedPart::builder()
                .part_number(number)
                .set_e_tag(sent.e_tag().map(str::to_string))
                .build(),
        );
        Ok(())
    }

    /// Sends what is left and completes the object.
    pub async fn finish(mut self) -> anyhow::Result<u64> {
        if !self.buf.is_empty() || self.parts.is_empty() {
            self.send_part().await?;
        }
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .multipart_upload(
                aws_sdk_s3::types::CompletedMultipartUpload::builder()
                    .set_parts(Some(std::mem::take(&mut self.parts)))
                    .build(),
            )
            .send()
            .await?;
        Ok(self.size)
    }

    /// Drops the parts sent so far.
    pub async fn abort(self) {
        let aborted = self
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .send()
            .await;
        if let Err(err) = aborted {
            tracing::warn!(key = %self.key, error = %err, "aborting a multipart upload failed");
        }
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
