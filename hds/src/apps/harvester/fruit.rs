//! The fruit representation (documentation); `fruits/` is served by `apps::named`.

use utoipa::ToSchema;

/// A fruit (documentation of the representation).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct Fruit {
    id: i64,
    created: String,
    #[schema(rename = "lastModified")]
    last_modified: String,
    creator: Option<i64>,
    #[schema(rename = "modifiedBy")]
    modified_by: Option<i64>,
    name: String,
}
