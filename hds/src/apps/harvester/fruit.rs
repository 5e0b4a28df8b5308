//! `fruits/`.

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
use crate::apps::{json, not_blank, required};
use crate::error::{AppError, AppResult};
use crate::schema::fruits;

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

#[derive(Deserialize, ToSchema, Debug)]
pub struct FruitInput {
    pub name: Option<String>,
}

const FROM: &str = "fruits f";

fn json() -> String {
    json::fruit("f")
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "f")?;
    if let Some(name) = q.get("name") {
        w.add("f.name = ?", [Bind::Text(name.to_string())]);
    }
    let j = json();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "f.id",
        orderings: &[("id", "f.id"), ("name", "f.name"), ("created", "f.created")],
        default_order: "f.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(&mut db, FROM, &json(), "f.id", *id, "Fruit").await?))
}

pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<FruitInput>,
) -> AppResult<HttpResponse> {
    let name = required(input.name, "name")?;
    not_blank(&name, "name")?;
    let id: i64 = diesel::insert_into(fruits::table)
        .values((
            fruits::name.eq(name),
            fruits::creator_id.eq(ctx.caller()?.user_id),
        ))
        .returning(fruits::id)
        .get_result(&mut db)
        .await?;
    Ok(ctx.ok(one(&mut db, FROM, &json(), "f.id", id, "Fruit").await?))
}

#[derive(AsChangeset)]
#[diesel(table_name = fruits)]
struct Changes {
    name: Option<String>,
    modified_by_id: Option<i64>,
    last_modified: chrono::DateTime<Utc>,
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<FruitInput>,
) -> AppResult<HttpResponse> {
    let name = if ctx.method == Method::PUT {
        Some(required(input.name, "name")?)
    } else {
        input.name
    };
    if let Some(n) = &name {
        not_blank(n, "name")?;
    }
    let changes = Changes {
        name,
        modified_by_id: Some(ctx.caller()?.user_id),
        last_modified: Utc::now(),
    };
    let n = diesel::update(fruits::table.find(*id))
        .set(&changes)
        .execute(&mut db)
        .await?;
    if n == 0 {
        return Err(AppError::not_found("Fruit"));
    }
    Ok(ctx.ok(one(&mut db, FROM, &json(), "f.id", *id, "Fruit").await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let n = diesel::delete(fruits::table.find(*id))
        .execute(&mut db)
        .await?;
    if n == 0 {
        return Err(AppError::not_found("Fruit"));
    }
    Ok(ctx.deleted())
}
