//! One module per HDS app: handlers, the SQL that renders each representation and the output
//! types that declare it. Routes and permissions are listed in `api/router/`.

/// Declares an output type (docs/api-design.md#one-source-of-truth) of an audited row: the
/// struct as written plus `created`, `lastModified`, `creator` and `modifiedBy`, with the
/// derives every output type has (unknown fields denied).
macro_rules! audited {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            pub created: String,
            #[serde(rename = "lastModified")]
            pub last_modified: String,
            pub creator: Option<i64>,
            #[serde(rename = "modifiedBy")]
            pub modified_by: Option<i64>,
        }
    };
}

pub mod aftconfigs;
pub mod autodiagnostics;
pub mod errorreport;
pub mod event;
pub mod exceptions;
pub mod failedingest;
pub mod gripreport;
pub mod harvassets;
pub mod harvdeploy;
pub mod harvester;
pub mod harvjobs;
pub mod hdsmigrations;
pub mod healthcheck;
pub mod json;
pub mod location;
pub mod logparser;
pub mod named;
pub mod notifications;
pub mod s3file;
pub mod tags;
pub mod users;

/// Deletes row `id` of `table` (a table name from the code, never from a request): 404 when
/// there is none, 400 when other rows still refer to it (docs/compatibility.md#d100).
pub async fn delete_row(
    db: &mut diesel_async::AsyncPgConnection,
    table: &'static str,
    id: i64,
    model: &str,
) -> crate::error::AppResult<()> {
    use diesel::result::{DatabaseErrorKind, Error};
    use diesel_async::RunQueryDsl;
    let n = diesel::sql_query(format!("DELETE FROM {table} WHERE id = $1"))
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(db)
        .await
        .map_err(|e| match e {
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                crate::error::AppError::bad_request(format!(
                    "This {model} is referenced by other records; it cannot be deleted."
                ))
            }
            other => other.into(),
        })?;
    crate::error::AppError::unless_none(n, model)
}

/// A foreign key that points nowhere is the client's mistake: name the field (DRF's wording).
pub fn fk_field(err: diesel::result::Error, field: &str) -> crate::error::AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            crate::error::AppError::validation_field(field, "Invalid pk - object does not exist.")
        }
        other => other.into(),
    }
}

pub fn required<T>(v: Option<T>, field: &str) -> crate::error::AppResult<T> {
    v.ok_or_else(|| crate::error::AppError::validation_field(field, "This field is required."))
}

pub fn not_blank(v: &str, field: &str) -> crate::error::AppResult<()> {
    if v.trim().is_empty() {
        Err(crate::error::AppError::validation_field(
            field,
            "This field may not be blank.",
        ))
    } else {
        Ok(())
    }
}
