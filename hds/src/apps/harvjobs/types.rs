//! `jobtypes/` and `jobschemas/`: the kinds of job harvesters run and the versioned JSON
//! Schemas their payloads must follow (CI posts both; docs/api-design.md#jobs).

use actix_web::{web, HttpRequest, HttpResponse};
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE};
use crate::api::sql::{first_id, json_rows, list_page, one, Bind, Listing, Where};
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};

pub const TYPE_FILTERS: &[Param] = &[CREATED_AFTER, CREATED_BEFORE];
pub const SCHEMA_FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "jobtype__name",
        ParamType::Text,
        "Of the job type with this name.",
    ),
];
pub const ORDERINGS: &[(&str, &str)] = &[("created", "x.created"), ("id", "x.id")];

/// A job type as rendered (alias `x` of `job_types`).
pub fn job_type(x: &str) -> String {
    format!(
        "json_build_object('id', {x}.id, {audit}, 'name', {x}.name)",
        audit = audit(x)
    )
}

/// A job schema as rendered, its type by name (alias `x` of `job_schemas`).
pub fn job_schema(x: &str) -> String {
    format!(
        "json_build_object('id', {x}.id, {audit}, 'jobtype', (SELECT t.name FROM job_types t \
           WHERE t.id = {x}.job_type_id), 'schema', {x}.schema, 'version', {x}.version, \
         'comment', {x}.comment)",
        audit = audit(x)
    )
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobTypeInput {
    /// Unique, at most 20 characters.
    pub name: String,
}

impl crate::api::body::Input for JobTypeInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("name", "job_types.name")];
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobTypePatch {
    pub name: Option<String>,
}

impl crate::api::body::Input for JobTypePatch {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("name", "job_types.name")];
}

fn type_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation_field(
            "name",
            "This field may not be blank.",
        ));
    }
    if name.chars().count() > 20 {
        return Err(AppError::validation_field(
            "name",
            "Ensure this field has no more than 20 characters.",
        ));
    }
    Ok(name.to_string())
}

fn duplicate(err: AppError) -> AppError {
    let text = err.to_string();
    if text.contains("job_types_name_key") {
        return AppError::validation_field("name", "job type with this name already exists.");
    }
    if text.contains("job_schemas_job_type_id_version_key") {
        return AppError::Validation(serde_json::json!({
            "non_field_errors": ["The fields jobtype, version must make a unique set."]
        }));
    }
    err
}

fn id_of(rows: &[Value]) -> AppResult<i64> {
    first_id(rows).ok_or_else(|| AppError::internal("row not stored"))
}

pub async fn list_types(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "x")?;
    let json = job_type("x");
    let l = Listing {
        from: "job_types x",
        json: &json,
        id: "x.id",
        orderings: ORDERINGS,
        default_order: "x.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

async fn get_type(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(conn, "job_types x", &job_type("x"), "x.id", id, "JobType").await
}

pub async fn retrieve_type(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get_type(&mut db, *id).await?))
}

pub async fn create_type(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<JobTypeInput>,
) -> AppResult<HttpResponse> {
    let me = ctx.caller()?.user_id;
    let rows = json_rows(
        &mut db,
        "INSERT INTO job_types (name, creator_id) VALUES ($1, $2) \
         RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[Bind::Text(type_name(&input.name)?), Bind::Int(me)],
    )
    .await
    .map_err(duplicate)?;
    Ok(ctx.ok(get_type(&mut db, id_of(&rows)?).await?))
}

pub async fn update_type(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<JobTypePatch>,
) -> AppResult<HttpResponse> {
    let (me, id) = (ctx.caller()?.user_id, *id);
    let name = input.name.as_deref().map(type_name).transpose()?;
    let rows = json_rows(
        &mut db,
        "UPDATE job_types SET name = COALESCE($2, name), modified_by_id = $3, last_modified = now() \
         WHERE id = $1 RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(id),
            Bind::OptText(name),
            Bind::Int(me),
        ],
    )
    .await
    .map_err(duplicate)?;
    AppError::unless_none(rows.len(), "JobType")?;
    Ok(ctx.ok(get_type(&mut db, id).await?))
}

pub async fn destroy_type(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "job_types", *id, "JobType").await?;
    Ok(ctx.deleted())
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobSchemaInput {
    /// The job type's name.
    pub jobtype: String,
    /// At most 10 characters; unique per job type.
    pub version: String,
    /// A JSON Schema for the payloads of jobs of this version.
    pub schema: Value,
    #[serde(default)]
    pub comment: Option<String>,
}

impl crate::api::body::Input for JobSchemaInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("version", "job_schemas.version"),
        ("comment", "job_schemas.comment"),
        ("jobtype", "job_types.name"),
    ];
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobSchemaPatch {
    pub jobtype: Option<String>,
    pub version: Option<String>,
    pub schema: Option<Value>,
    pub comment: Option<String>,
}

impl crate::api::body::Input for JobSchemaPatch {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("version", "job_schemas.version"),
        ("comment", "job_schemas.comment"),
        ("jobtype", "job_types.name"),
    ];
}

/// The job type named `name`, or the 400 naming the field.
pub async fn type_id(conn: &mut AsyncPgConnection, name: &str) -> AppResult<i64> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('id', id) AS data FROM job_types WHERE name = $1".to_string(),
        &[Bind::Text(name.to_string())],
    )
    .await?;
    first_id(&rows).ok_or_else(|| {
        AppError::validation_field("jobtype", format!("No job type named {name:?}."))
    })
}

/// A schema document CI posts must itself be a JSON Schema: a payload can only be checked
/// against one that compiles.
pub fn check_schema_document(schema: &Value) -> AppResult<()> {
    if !schema.is_object() {
        return Err(AppError::validation_field(
            "schema",
            "A job schema is a JSON Schema object.",
        ));
    }
    jsonschema::validator_for(schema)
        .map(|_| ())
        .map_err(|e| AppError::validation_field("schema", format!("Not a valid JSON Schema: {e}")))
}

fn check_version(version: &str) -> AppResult<()> {
    match version.trim() {
        "" => Err(AppError::validation_field(
            "version",
            "This field may not be blank.",
        )),
        v if v.chars().count() > 10 => Err(AppError::validation_field(
            "version",
            "Ensure this field has no more than 10 characters.",
        )),
        _ => Ok(()),
    }
}

fn check_comment(comment: &str) -> AppResult<()> {
    match comment.chars().count() > 280 {
        true => Err(AppError::validation_field(
            "comment",
            "Ensure this field has no more than 280 characters.",
        )),
        false => Ok(()),
    }
}

pub async fn list_schemas(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "x")?;
    if let Some(name) = q.get("jobtype__name") {
        w.add(
            "x.job_type_id = ANY(ARRAY(SELECT id FROM job_types WHERE name = ?))",
            [Bind::Text(name.to_string())],
        );
    }
    let json = job_schema("x");
    let l = Listing {
        from: "job_schemas x",
        json: &json,
        id: "x.id",
        orderings: ORDERINGS,
        default_order: "x.created DESC, x.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn get_schema(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(
        conn,
        "job_schemas x",
        &job_schema("x"),
        "x.id",
        id,
        "JobSchema",
    )
    .await
}

pub async fn retrieve_schema(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get_schema(&mut db, *id).await?))
}

pub async fn create_schema(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<JobSchemaInput>,
) -> AppResult<HttpResponse> {
    let me = ctx.caller()?.user_id;
    check_version(&input.version)?;
    check_schema_document(&input.schema)?;
    let comment = input.comment.unwrap_or_default();
    check_comment(&comment)?;
    let type_id = type_id(&mut db, &input.jobtype).await?;
    let rows = json_rows(
        &mut db,
        "INSERT INTO job_schemas (job_type_id, version, schema, comment, creator_id) \
         VALUES ($1, $2, $3, $4, $5) RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(type_id),
            Bind::Text(input.version.trim().to_string()),
            Bind::Json(input.schema),
            Bind::Text(comment),
            Bind::Int(me),
        ],
    )
    .await
    .map_err(duplicate)?;
    Ok(ctx.ok(get_schema(&mut db, id_of(&rows)?).await?))
}

pub async fn update_schema(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<JobSchemaPatch>,
) -> AppResult<HttpResponse> {
    let (me, id) = (ctx.caller()?.user_id, *id);
    if let Some(v) = &input.version {
        check_version(v)?;
    }
    if let Some(s) = &input.schema {
        check_schema_document(s)?;
    }
    if let Some(c) = &input.comment {
        check_comment(c)?;
    }
    let type_id = match &input.jobtype {
        Some(name) => Some(type_id(&mut db, name).await?),
        None => None,
    };
    let rows = json_rows(
        &mut db,
        "UPDATE job_schemas SET job_type_id = COALESCE($2, job_type_id), \
           version = COALESCE($3, version), schema = COALESCE($4::jsonb, schema), \
           comment = COALESCE($5, comment), modified_by_id = $6, last_modified = now() \
         WHERE id = $1 RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(id),
            Bind::OptInt(type_id),
            Bind::OptText(input.version.map(|v| v.trim().to_string())),
            Bind::OptText(input.schema.map(|s| s.to_string())),
            Bind::OptText(input.comment),
            Bind::Int(me),
        ],
    )
    .await
    .map_err(duplicate)?;
    AppError::unless_none(rows.len(), "JobSchema")?;
    Ok(ctx.ok(get_schema(&mut db, id).await?))
}

pub async fn destroy_schema(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "job_schemas", *id, "JobSchema").await?;
    Ok(ctx.deleted())
}
