//! `exceptioncodes/`.

use crate::api::filters::{Param, ParamType, CODES, CREATED_AFTER, CREATED_BEFORE, TZ};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Bind, Listing, Where};
use crate::apps::{not_blank, required};
use crate::error::{AppError, AppResult};
use crate::schema::exception_codes;

audited! {
pub struct ExceptionCode {
    pub id: i64,
    pub code: i32,
    pub name: String,
    pub msg: String,
    pub team: String,
    /// Whether the harvester handles this error by cycling the robot.
    pub cycle: bool,
    pub operator_msg: String,
    /// The manifest that last wrote this code.
    pub manifest: Option<i64>,
}
}

/// Body of create/update; as a changeset, the fields given (`None` ones are left alone).
#[derive(Deserialize, ToSchema, Debug, Clone, AsChangeset)]
#[diesel(table_name = exception_codes)]
pub struct ExceptionCodeInput {
    pub code: Option<i32>,
    pub name: Option<String>,
    pub msg: Option<String>,
    pub team: Option<String>,
    pub cycle: Option<bool>,
    pub operator_msg: Option<String>,
}

impl crate::api::body::Input for ExceptionCodeInput {
    const COLUMNS: &'static [(&'static str, &'static str)] =
        &[("operator_msg", "exception_codes.operator_msg")];
}

const FROM: &str = "exception_codes c";

fn json() -> String {
    super::json::code("c")
}

/// Unique violations in the reference's words.
pub fn unique_error(err: diesel::result::Error) -> AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    if let Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = &err {
        let field = if info.constraint_name().unwrap_or("").contains("name") {
            "name"
        } else {
            "code"
        };
        return AppError::validation_field(
            field,
            format!("aft exception code with this {field} already exists."),
        );
    }
    err.into()
}

/// Filters of the exception-code list.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    CODES,
    Param::new("code", ParamType::Int, "With this code."),
    Param::new("team", ParamType::Text, "Of this team."),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("id", "c.id"),
    ("code", "c.code"),
    ("name", "c.name"),
    ("team", "c.team"),
];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "c")?;
    if let Some(codes) = q.int_list("codes")? {
        w.add("c.code = ANY(?)", [Bind::Ints(codes)]);
    }
    if let Some(code) = q.int("code")? {
        w.add("c.code = ?", [Bind::Int(code)]);
    }
    if let Some(team) = q.get("team") {
        w.add("c.team = ?", [Bind::Text(team.to_string())]);
    }
    let j = json();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "c.id",
        orderings: ORDERINGS,
        default_order: "c.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(&mut db, FROM, &json(), "c.id", *id, "AFTExceptionCode").await?))
}

pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<ExceptionCodeInput>,
) -> AppResult<HttpResponse> {
    let id = insert(&mut db, input, ctx.caller()?.user_id, None).await?;
    Ok(ctx.ok(one(&mut db, FROM, &json(), "c.id", id, "AFTExceptionCode").await?))
}

/// Creates a code from an input (also used by manifests).
pub async fn insert(
    conn: &mut diesel_async::AsyncPgConnection,
    input: ExceptionCodeInput,
    user: i64,
    manifest: Option<i64>,
) -> AppResult<i64> {
    let code = required(input.code, "code")?;
    let name = required(input.name, "name")?;
    not_blank(&name, "name")?;
    let team = required(input.team, "team")?;
    let cycle = required(input.cycle, "cycle")?;
    diesel::insert_into(exception_codes::table)
        .values((
            exception_codes::code.eq(code),
            exception_codes::name.eq(name),
            exception_codes::msg.eq(input.msg.unwrap_or_default()),
            exception_codes::team.eq(team),
            exception_codes::cycle.eq(cycle),
            exception_codes::operator_msg.eq(input
                .operator_msg
                .unwrap_or_else(|| "Please cycle the harvester".into())),
            exception_codes::manifest_id.eq(manifest),
            exception_codes::creator_id.eq(user),
        ))
        .returning(exception_codes::id)
        .get_result(conn)
        .await
        .map_err(unique_error)
}

/// Who changed a code, and when (set with every change).
pub fn modified(
    user: i64,
) -> (
    diesel::dsl::Eq<exception_codes::modified_by_id, Option<i64>>,
    diesel::dsl::Eq<exception_codes::last_modified, chrono::DateTime<Utc>>,
) {
    (
        exception_codes::modified_by_id.eq(Some(user)),
        exception_codes::last_modified.eq(Utc::now()),
    )
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<ExceptionCodeInput>,
) -> AppResult<HttpResponse> {
    if ctx.method == Method::PUT {
        required(input.code, "code")?;
        required(input.name.clone(), "name")?;
        required(input.team.clone(), "team")?;
        required(input.cycle, "cycle")?;
    }
    let n = diesel::update(exception_codes::table.find(*id))
        .set((&input, modified(ctx.caller()?.user_id)))
        .execute(&mut db)
        .await
        .map_err(unique_error)?;
    AppError::unless_none(n, "AFTExceptionCode")?;
    Ok(ctx.ok(one(&mut db, FROM, &json(), "c.id", *id, "AFTExceptionCode").await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "exception_codes", *id, "AFTExceptionCode").await?;
    Ok(ctx.deleted())
}
