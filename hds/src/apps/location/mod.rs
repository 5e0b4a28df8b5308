//! Distributors and locations (docs/api-design.md#distributors-and-locations).

use crate::api::filters::{Param, ParamType, CREATED_AFTER, CREATED_BEFORE, TZ};
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
use crate::api::sql::{list_page, one, Listing, Where};
use crate::apps::{json, required};
use crate::error::{AppError, AppResult};

pub use crate::apps::json::{Distributor, Location};

#[derive(Deserialize, ToSchema, Debug)]
pub struct LocationInput {
    /// Distributor id.
    pub distributor: Option<i64>,
    pub ranch: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub site_channel: Option<String>,
}

impl crate::api::body::Input for LocationInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("ranch", "locations.ranch"),
        ("country", "locations.country"),
        ("region", "locations.region"),
        ("site_channel", "locations.site_channel"),
    ];
}

pub(crate) mod locations {
    use super::*;
    use crate::schema::locations;

    const FROM: &str = "locations l";

    fn json() -> String {
        json::location("l")
    }

    #[derive(AsChangeset)]
    #[diesel(table_name = locations)]
    struct Changes {
        distributor_id: Option<i64>,
        ranch: Option<Option<String>>,
        country: Option<Option<String>>,
        region: Option<Option<String>>,
        site_channel: Option<String>,
        modified_by_id: Option<i64>,
        last_modified: chrono::DateTime<Utc>,
    }

    /// Filters of the location list.
    pub const FILTERS: &[Param] = &[
        CREATED_AFTER,
        CREATED_BEFORE,
        Param::new("ranch", ParamType::Text, "At this ranch."),
        TZ,
    ];

    /// Names `ordering` accepts on the list, with the column each sorts by.
    pub const ORDERINGS: &[(&str, &str)] = &[
        ("id", "l.id"),
        ("ranch", "l.ranch"),
        ("created", "l.created"),
    ];

    pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
        let q = Query::parse(req.query_string());
        let mut w = Where::default();
        w.created(&q, "l")?;
        if let Some(r) = q.get("ranch") {
            w.add("l.ranch = ?", [crate::api::sql::Bind::Text(r.to_string())]);
        }
        let j = json();
        let l = Listing {
            from: FROM,
            json: &j,
            id: "l.id",
            orderings: ORDERINGS,
            default_order: "l.id",
        };
        Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
    }

    pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
        Ok(ctx.ok(one(&mut db, FROM, &json(), "l.id", *id, "Location").await?))
    }

    pub async fn create(
        ctx: Ctx,
        mut db: Db,
        Body(input): Body<LocationInput>,
    ) -> AppResult<HttpResponse> {
        let distributor = required(input.distributor, "distributor")?;
        let me = ctx.caller()?.user_id;
        let id: i64 = diesel::insert_into(locations::table)
            .values((
                locations::distributor_id.eq(distributor),
                locations::ranch.eq(input.ranch),
                locations::country.eq(input.country),
                locations::region.eq(input.region),
                locations::site_channel
                    .eq(input.site_channel.unwrap_or_else(|| "harvs-dev".into())),
                locations::creator_id.eq(me),
            ))
            .returning(locations::id)
            .get_result(&mut db)
            .await
            .map_err(|e| crate::apps::fk_field(e, "distributor"))?;
        Ok(ctx.ok(one(&mut db, FROM, &json(), "l.id", id, "Location").await?))
    }

    pub async fn update(
        ctx: Ctx,
        mut db: Db,
        id: web::Path<i64>,
        Body(input): Body<LocationInput>,
    ) -> AppResult<HttpResponse> {
        if ctx.method == Method::PUT {
            required(input.distributor, "distributor")?;
        }
        let changes = Changes {
            distributor_id: input.distributor,
            ranch: input.ranch.map(Some),
            country: input.country.map(Some),
            region: input.region.map(Some),
            site_channel: input.site_channel,
            modified_by_id: Some(ctx.caller()?.user_id),
            last_modified: Utc::now(),
        };
        let n = diesel::update(locations::table.find(*id))
            .set(&changes)
            .execute(&mut db)
            .await
            .map_err(|e| crate::apps::fk_field(e, "distributor"))?;
        AppError::unless_none(n, "Location")?;
        Ok(ctx.ok(one(&mut db, FROM, &json(), "l.id", *id, "Location").await?))
    }

    pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
        crate::apps::delete_row(&mut db, "locations", *id, "Location").await?;
        Ok(ctx.deleted())
    }
}
