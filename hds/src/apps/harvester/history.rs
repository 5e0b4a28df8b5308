//! `harvesterhistory/`: a row per create (`+`), change (`~`) and delete (`-`) of a harvester.

use crate::api::filters::{Param, ParamType};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Bind, Listing, Where};
use crate::apps::json;
use crate::error::AppResult;

audited! {
pub struct HarvesterHistory {
    pub history_id: i64,
    pub id: i64,
    pub harv_id: i32,
    pub name: Option<String>,
    pub is_emulator: bool,
    #[serde(rename = "thingName")]
    pub thing_name: Option<String>,
    pub fruit: Option<crate::apps::json::Fruit>,
    pub location: Option<crate::apps::json::Location>,
    pub release: Option<crate::apps::harvdeploy::Release>,
    pub history_date: String,
    pub history_change_reason: Option<String>,
    /// `+` created, `~` changed, `-` deleted.
    pub history_type: String,
    /// Who made the change.
    pub history_user: Option<i64>,
}
}

const FROM: &str = "harvester_history hh";

fn json() -> String {
    let (f, l) = ("hh_f", "hh_l");
    format!(
        "json_build_object('history_id', hh.history_id, 'id', hh.id, {audit}, 'harv_id', hh.harv_id, \
         'name', hh.name, 'is_emulator', hh.is_emulator, 'thingName', hh.thing_name, \
         'fruit', (SELECT {fj} FROM fruits {f} WHERE {f}.id = hh.fruit_id), \
         'location', (SELECT {lj} FROM locations {l} WHERE {l}.id = hh.location_id), \
         'release', (SELECT {xj} FROM harvester_code_releases hh_x WHERE hh_x.id = hh.release_id), \
         'history_date', hds_ts(hh.history_date), 'history_change_reason', hh.history_change_reason, \
         'history_type', hh.history_type, 'history_user', hh.history_user_id)",
        audit = json::audit("hh"),
        fj = json::fruit(f),
        lj = json::location(l),
        xj = crate::apps::harvdeploy::release("hh_x"),
    )
}

/// Filters of the harvester history.
pub const FILTERS: &[Param] = &[
    Param::new(
        "harv_id",
        ParamType::Int,
        "Of the harvester with this serial number.",
    ),
    Param::new("id", ParamType::Int, "Of the harvester with this id."),
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("history_date", "hh.history_date"),
    ("history_id", "hh.history_id"),
];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    if let Some(id) = q.int("harv_id")? {
        w.add("hh.harv_id = ?", [Bind::Int(id)]);
    }
    if let Some(id) = q.int("id")? {
        w.add("hh.id = ?", [Bind::Int(id)]);
    }
    let j = json();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "hh.history_id",
        orderings: ORDERINGS,
        default_order: "hh.history_date DESC, hh.history_id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(
        &mut db,
        FROM,
        &json(),
        "hh.history_id",
        *id,
        "historical harvester",
    )
    .await?))
}

/// A correction of a history row (superusers): why the change was made.
#[derive(serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct HistoryInput {
    pub history_change_reason: Option<String>,
}

impl crate::api::body::Input for HistoryInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[(
        "history_change_reason",
        "harvester_history.history_change_reason",
    )];
}

/// `PUT`/`PATCH harvesterhistory/{id}/`: sets the change reason (the recorded state is what
/// happened and stays as it is).
pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    crate::api::body::Body(input): crate::api::body::Body<HistoryInput>,
) -> AppResult<HttpResponse> {
    if let Some(reason) = &input.history_change_reason {
        if reason.chars().count() > 100 {
            return Err(crate::error::AppError::validation_field(
                "history_change_reason",
                "Ensure this field has no more than 100 characters.",
            ));
        }
    }
    let rows = crate::api::sql::json_rows(
        &mut db,
        "UPDATE harvester_history SET history_change_reason = ($2::text[])[1] \
         WHERE history_id = $1 RETURNING json_build_object('id', history_id) AS data"
            .to_string(),
        &[
            Bind::Int(*id),
            Bind::OptTexts(vec![input.history_change_reason]),
        ],
    )
    .await?;
    crate::error::AppError::unless_none(rows.len(), "historical harvester")?;
    retrieve(ctx, db, id).await
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let n = crate::api::sql::json_rows(
        &mut db,
        "DELETE FROM harvester_history WHERE history_id = $1 \
         RETURNING json_build_object('id', history_id) AS data"
            .to_string(),
        &[Bind::Int(*id)],
    )
    .await?
    .len();
    crate::error::AppError::unless_none(n, "historical harvester")?;
    Ok(ctx.deleted())
}
