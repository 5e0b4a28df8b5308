//! Resources that are just a name (fruits, distributors): one implementation, parameterised by
//! the table.

use crate::api::filters::{Param, ParamType, CREATED_AFTER, CREATED_BEFORE, TZ};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Bind, Listing, Where};
use crate::apps::{json, not_blank, required};
use crate::error::{AppError, AppResult};

pub trait Named: 'static {
    const TABLE: &'static str;
    /// Model name in 404 messages.
    const MODEL: &'static str;
}

pub struct Fruits;
impl Named for Fruits {
    const TABLE: &'static str = "fruits";
    const MODEL: &'static str = "Fruit";
}

pub struct Distributors;
impl Named for Distributors {
    const TABLE: &'static str = "distributors";
    const MODEL: &'static str = "Distributor";
}

/// Body of create/update.
#[derive(Deserialize, ToSchema, Debug)]
pub struct NameInput {
    pub name: Option<String>,
}

impl crate::api::body::Input for NameInput {
    const COLUMNS: &'static [(&'static str, &'static str)] =
        &[("name", "fruits.name"), ("name", "distributors.name")];
}

fn from<N: Named>() -> String {
    format!("{} n", N::TABLE)
}

fn repr() -> String {
    // Fruits and distributors render alike.
    json::fruit("n")
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Filters of the fruit and distributor lists.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new("name", ParamType::Text, "With this name."),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] =
    &[("id", "n.id"), ("name", "n.name"), ("created", "n.created")];

pub async fn list<N: Named>(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "n")?;
    if let Some(name) = q.get("name") {
        w.add("n.name = ?", [Bind::Text(name.to_string())]);
    }
    let (f, j) = (from::<N>(), repr());
    let l = Listing {
        from: &f,
        json: &j,
        id: "n.id",
        orderings: ORDERINGS,
        default_order: "n.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve<N: Named>(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(&mut db, &from::<N>(), &repr(), "n.id", *id, N::MODEL).await?))
}

pub async fn create<N: Named>(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<NameInput>,
) -> AppResult<HttpResponse> {
    let name = required(input.name, "name")?;
    not_blank(&name, "name")?;
    let row: Id = diesel::sql_query(format!(
        "INSERT INTO {} (name, creator_id) VALUES ($1, $2) RETURNING id",
        N::TABLE
    ))
    .bind::<Text, _>(&name)
    .bind::<BigInt, _>(ctx.caller()?.user_id)
    .get_result(&mut db)
    .await?;
    Ok(ctx.ok(one(&mut db, &from::<N>(), &repr(), "n.id", row.id, N::MODEL).await?))
}

pub async fn update<N: Named>(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<NameInput>,
) -> AppResult<HttpResponse> {
    let name = if ctx.method == Method::PUT {
        Some(required(input.name, "name")?)
    } else {
        input.name
    };
    if let Some(n) = &name {
        not_blank(n, "name")?;
    }
    let n = diesel::sql_query(format!(
        "UPDATE {} SET name = COALESCE($1, name), modified_by_id = $2, last_modified = now() WHERE id = $3",
        N::TABLE
    ))
    .bind::<Nullable<Text>, _>(name)
    .bind::<BigInt, _>(ctx.caller()?.user_id)
    .bind::<BigInt, _>(*id)
    .execute(&mut db)
    .await?;
    AppError::unless_none(n, N::MODEL)?;
    Ok(ctx.ok(one(&mut db, &from::<N>(), &repr(), "n.id", *id, N::MODEL).await?))
}

pub async fn destroy<N: Named>(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let n = diesel::sql_query(format!("DELETE FROM {} WHERE id = $1", N::TABLE))
        .bind::<BigInt, _>(*id)
        .execute(&mut db)
        .await?;
    AppError::unless_none(n, N::MODEL)?;
    Ok(ctx.deleted())
}
