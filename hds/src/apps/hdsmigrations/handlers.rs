//! `migrations/` (read only; every other method is 405), `migrations/migrate/` and
//! `migrations/applied/`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::{repr, FROM, RESULTS};
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, TZ};
use crate::api::sql::{list_page, Bind, Listing, Where};
use crate::api::state::AppState;
use crate::error::{AppError, AppResult};

/// Filters of the migration-log list.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "result",
        ParamType::Text,
        "`pending`, `success` or `failed`.",
    ),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[("id", "m.id"), ("created", "m.created")];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "m")?;
    if let Some(result) = q.get("result").filter(|r| !r.is_empty()) {
        if !RESULTS.contains(&result) {
            return Err(AppError::validation_field(
                "result",
                format!(
                    "Select a valid choice. {result} is not one of the available choices ({}).",
                    RESULTS.join(", ")
                ),
            ));
        }
        w.add("m.result = ?", [Bind::Text(result.to_string())]);
    }
    let j = repr("m");
    let l = Listing {
        from: FROM,
        json: &j,
        id: "m.id",
        orderings: ORDERINGS,
        default_order: "m.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(super::get(&mut db, *id).await?))
}

/// Records a pending run and queues it: 202 with the log's id (§4.16). The worker's sweep runs
/// it if the queue loses it.
pub async fn migrate(ctx: Ctx, state: web::Data<AppState>, mut db: Db) -> AppResult<HttpResponse> {
    let id = super::create(&mut db, ctx.caller()?.user_id).await?;
    drop(db);
    state
        .jobs
        .push(crate::jobs::Job::Migrate { log_id: id })
        .await;
    Ok(ctx.accepted("Migration queued.", super::MigrationQueued { id }))
}

/// The schema migrations this build knows and when each was applied (pending ones have no
/// time), oldest first.
pub async fn applied(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let all = super::schema_migrations(&mut db).await?;
    Ok(ctx.message("Schema migrations", all))
}
