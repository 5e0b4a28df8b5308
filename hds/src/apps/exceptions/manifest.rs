//! `exceptioncodemanifests/`: CI posts the code list of a harvester software version; the codes
//! are upserted in the background (durably: the manifest stays pending until applied).

use crate::api::filters::{Param, CREATED_AFTER, CREATED_BEFORE, TZ};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::codes::{self, ExceptionCodeInput};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Listing, Where};
use crate::apps::{json, required};
use crate::error::{AppError, AppResult};
use crate::schema::{exception_code_manifests, exception_codes};

audited! {
pub struct CodeManifest {
    pub id: i64,
    pub version: String,
    pub manifest: Vec<Value>,
    /// When the codes were upserted (null while pending).
    pub applied_at: Option<String>,
    pub apply_error: Option<String>,
}
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct CodeManifestInput {
    pub version: Option<String>,
    /// Exception code objects: `{code, name, msg, team, cycle, operator_msg}`.
    pub manifest: Option<Vec<Value>>,
}

impl crate::api::body::Input for CodeManifestInput {
    const COLUMNS: &'static [(&'static str, &'static str)] =
        &[("version", "exception_code_manifests.version")];
}

const FROM: &str = "exception_code_manifests m";

fn repr() -> String {
    format!(
        "json_build_object('id', m.id, {audit}, 'version', m.version, 'manifest', m.manifest, \
         'applied_at', hds_ts(m.applied_at), 'apply_error', m.apply_error)",
        audit = json::audit("m")
    )
}

fn parse_entries(manifest: &[Value]) -> AppResult<Vec<ExceptionCodeInput>> {
    manifest
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let parsed: ExceptionCodeInput = serde_json::from_value(entry.clone())
                .map_err(|e| AppError::validation_field("manifest", format!("entry {i}: {e}")))?;
            for (field, present) in [
                ("code", parsed.code.is_some()),
                ("name", parsed.name.is_some()),
                ("team", parsed.team.is_some()),
                ("cycle", parsed.cycle.is_some()),
            ] {
                if !present {
                    return Err(AppError::validation_field(
                        "manifest",
                        format!("entry {i}: {field} is required"),
                    ));
                }
            }
            Ok(parsed)
        })
        .collect()
}

/// Filters of the manifest list.
pub const FILTERS: &[Param] = &[CREATED_AFTER, CREATED_BEFORE, TZ];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[("id", "m.id"), ("created", "m.created")];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "m")?;
    let j = repr();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "m.id",
        orderings: ORDERINGS,
        default_order: "m.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(
        &mut db,
        FROM,
        &repr(),
        "m.id",
        *id,
        "AFTExceptionCodeManifest",
    )
    .await?))
}

pub async fn create(
    ctx: Ctx,
    state: web::Data<crate::api::state::AppState>,
    mut db: Db,
    Body(input): Body<CodeManifestInput>,
) -> AppResult<HttpResponse> {
    let version = required(input.version, "version")?;
    if version.chars().count() > 31 {
        return Err(AppError::validation_field(
            "version",
            "Ensure this field has no more than 31 characters.",
        ));
    }
    let manifest = required(input.manifest, "manifest")?;
    parse_entries(&manifest)?;
    let id: i64 = diesel::insert_into(exception_code_manifests::table)
        .values((
            exception_code_manifests::version.eq(version),
            exception_code_manifests::manifest.eq(Value::Array(manifest)),
            exception_code_manifests::creator_id.eq(ctx.caller()?.user_id),
        ))
        .returning(exception_code_manifests::id)
        .get_result(&mut db)
        .await?;
    state.jobs.apply_manifest(id).await;
    Ok(ctx.ok(one(
        &mut db,
        FROM,
        &repr(),
        "m.id",
        id,
        "AFTExceptionCodeManifest",
    )
    .await?))
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<CodeManifestInput>,
) -> AppResult<HttpResponse> {
    let n = diesel::update(exception_code_manifests::table.find(*id))
        .set((
            input
                .version
                .map(|v| exception_code_manifests::version.eq(v)),
            exception_code_manifests::modified_by_id.eq(ctx.caller()?.user_id),
            exception_code_manifests::last_modified.eq(Utc::now()),
        ))
        .execute(&mut db)
        .await?;
    AppError::unless_none(n, "AFTExceptionCodeManifest")?;
    Ok(ctx.ok(one(
        &mut db,
        FROM,
        &repr(),
        "m.id",
        *id,
        "AFTExceptionCodeManifest",
    )
    .await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(
        &mut db,
        "exception_code_manifests",
        *id,
        "AFTExceptionCodeManifest",
    )
    .await?;
    Ok(ctx.deleted())
}

/// Upserts the codes of a pending manifest: existing codes are fully updated (modifier = the
/// manifest's creator), new ones created. Idempotent; a failure is recorded on the manifest.
pub async fn apply(conn: &mut AsyncPgConnection, manifest_id: i64) -> AppResult<()> {
    let row: Option<(Value, Option<i64>, Option<chrono::DateTime<Utc>>)> =
        exception_code_manifests::table
            .find(manifest_id)
            .select((
                exception_code_manifests::manifest,
                exception_code_manifests::creator_id,
                exception_code_manifests::applied_at,
            ))
            .first(conn)
            .await
            .optional()?;
    let Some((manifest, creator, applied)) = row else {
        return Ok(()); // deleted meanwhile: nothing to do
    };
    if applied.is_some() {
        return Ok(());
    }
    let user = creator.unwrap_or_default();
    let entries = parse_entries(manifest.as_array().map(Vec::as_slice).unwrap_or(&[]));
    let result = match entries {
        Err(e) => Err(e),
        Ok(entries) => {
            conn.transaction::<(), AppError, _>(async move |conn| {
                for entry in entries {
                    let code = entry.code.expect("validated");
                    let existing: Option<i64> = exception_codes::table
                        .filter(exception_codes::code.eq(code))
                        .select(exception_codes::id)
                        .first(conn)
                        .await
                        .optional()?;
                    match existing {
                        Some(id) => {
                            let mut entry = entry;
                            entry.msg = Some(entry.msg.unwrap_or_default());
                            diesel::update(exception_codes::table.find(id))
                                .set((
                                    &entry,
                                    exception_codes::manifest_id.eq(Some(manifest_id)),
                                    codes::modified(user),
                                ))
                                .execute(conn)
                                .await
                                .map_err(codes::unique_error)?;
                        }
                        None => {
                            codes::insert(conn, entry, user, Some(manifest_id)).await?;
                        }
                    }
                }
                diesel::update(exception_code_manifests::table.find(manifest_id))
                    .set(exception_code_manifests::applied_at.eq(Utc::now()))
                    .execute(conn)
                    .await?;
                Ok(())
            })
            .await
        }
    };
    if let Err(err) = &result {
        diesel::update(exception_code_manifests::table.find(manifest_id))
            .set(exception_code_manifests::apply_error.eq(err.to_string()))
            .execute(conn)
            .await?;
    }
    result
}
