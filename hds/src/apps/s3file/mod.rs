//! Files announced by S3 events: `s3files/` and `sessclip/` (contract §4.5, §5.10; D17, D23).

mod handlers;
pub mod links;
pub mod parse;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};
use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

const READ: Rule = Rule::Roles(Grants::SJB);

pub const PERMISSIONS: &[Permission] = &[
    perm("s3file", "list", READ),
    perm("s3file", "retrieve", READ),
    perm("s3file", "create", Rule::Roles(Grants::A.or(Grants::Q))),
    perm("s3file", "destroy", Rule::Roles(Grants::D)),
    perm("sessclip", "list", READ),
    perm("sessclip", "retrieve", READ),
    perm("sessclip", "create", Rule::Roles(Grants::A.or(Grants::Q))),
    perm("sessclip", "destroy", Rule::Roles(Grants::D)),
];

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(PERMISSIONS);
    for (path, detail, base) in [
        ("s3files/", "s3files/{id}/", "s3file"),
        ("sessclip/", "sessclip/{id}/", "sessclip"),
    ] {
        r.route(Method::GET, path, base, "list", handlers::list)
            .summary("Files; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
            .doc(Doc::Page("S3File"));
        r.route(Method::POST, path, base, "create", handlers::create)
            .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
            .doc(Doc::Object("S3File"));
        r.route(Method::GET, detail, base, "retrieve", handlers::retrieve)
            .doc(Doc::Object("S3File"));
        r.route(Method::DELETE, detail, base, "destroy", handlers::destroy)
            .summary("Soft delete: marks the file deleted and deletes the object")
            .doc(Doc::Any);
    }
}

/// Documentation of the representation.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct S3File {
    id: i64,
    created: String,
    #[schema(rename = "lastModified")]
    last_modified: String,
    creator: Option<i64>,
    #[schema(rename = "modifiedBy")]
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

pub fn schemas(c: &mut Components) {
    component::<S3File>(c);
}
