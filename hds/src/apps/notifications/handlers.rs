//! `notifications/` (read and delete; created through `errorreports/createnotification/`).

use crate::api::filters::{Param, ParamType, CREATED_AFTER, CREATED_BEFORE, TZ};
use actix_web::{web, HttpRequest, HttpResponse};

use super::{repr, FROM};
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Bind, Listing, Where};
use crate::error::{AppError, AppResult};

/// Filters of the notification list.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "category",
        ParamType::Text,
        "`created` (mine) or `is_recipient` (I am a recipient).",
    ),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[("id", "n.id"), ("created", "n.created")];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let me = ctx.caller()?.user_id;
    let mut w = Where::default();
    w.created(&q, "n")?;
    match q.get("category") {
        Some("created") => {
            w.add("n.creator_id = ?", [Bind::Int(me)]);
        }
        Some("is_recipient") => {
            w.add("EXISTS (SELECT 1 FROM notification_recipients nr WHERE nr.notification_id = n.id AND nr.user_id = ?)", [Bind::Int(me)]);
        }
        Some(other) => {
            return Err(AppError::validation_field(
                "category",
                format!("{other:?} is not one of created, is_recipient."),
            ));
        }
        None => {}
    }
    let j = repr("n");
    let l = Listing {
        from: FROM,
        json: &j,
        id: "n.id",
        orderings: ORDERINGS,
        default_order: "n.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(&mut db, FROM, &repr("n"), "n.id", *id, "Notification").await?))
}

/// `DELETE notifications/{id}/`: its creator or a manager only (docs/compatibility.md#d123);
/// another developer's attempt is a 403, a missing notification a 404.
pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    use diesel::sql_types::{BigInt, Bool};
    use diesel_async::RunQueryDsl;
    let caller = ctx.caller()?;
    let n =
        diesel::sql_query("DELETE FROM notifications WHERE id = $1 AND ($3 OR creator_id = $2)")
            .bind::<BigInt, _>(*id)
            .bind::<BigInt, _>(caller.user_id)
            .bind::<Bool, _>(caller.is_manager())
            .execute(&mut *db)
            .await?;
    if n == 0 {
        // Either there is no such notification (404) or it is someone else's (403).
        one(&mut db, FROM, &repr("n"), "n.id", *id, "Notification").await?;
        return Err(AppError::Forbidden);
    }
    Ok(ctx.deleted())
}
