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
