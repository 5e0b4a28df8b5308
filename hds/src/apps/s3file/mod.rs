//! Files announced by S3 events: `s3files/` and `sessclip/` (docs/api-design.md#s3-files,
//! docs/api-design.md#file-ingestion; docs/compatibility.md#d17, docs/compatibility.md#d23).

pub mod handlers;
pub mod links;
pub mod parse;

audited! {
/// A file (`handlers::repr`), with its event.
pub struct S3File {
    pub id: i64,
    /// Presigned download link (15 minutes, attachment), null when deleted.
    pub file: Option<String>,
    pub filetype: String,
    pub key: String,
    pub bucket: String,
    pub etag: String,
    /// Bytes, as announced by the S3 event.
    pub size: Option<i64>,
    pub deleted: bool,
    pub event: crate::apps::event::EventDoc,
}
}
