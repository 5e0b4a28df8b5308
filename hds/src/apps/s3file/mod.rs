//! Files announced by S3 events: `s3files/` and `sessclip/` (contract §4.5, §5.10; D17, D23).

pub mod handlers;
pub mod links;
pub mod parse;

/// A file (`handlers::repr`), with its event.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct S3File {
    id: i64,
    created: String,
    #[serde(rename = "lastModified")]
    last_modified: String,
    creator: Option<i64>,
    #[serde(rename = "modifiedBy")]
    modified_by: Option<i64>,
    /// Presigned download link (15 minutes, attachment), null when deleted.
    file: Option<String>,
    filetype: String,
    key: String,
    bucket: String,
    etag: String,
    /// Bytes, as announced by the S3 event.
    size: Option<i64>,
    deleted: bool,
    event: crate::apps::event::EventDoc,
}
