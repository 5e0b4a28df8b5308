//! Fruits, harvesters and the harvester history (contract §4.6, D8, D22).

mod fruit;
mod harvesters;
mod history;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};
use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

const READ: Rule = Rule::Roles(Grants::SJB);

pub const PERMISSIONS: &[Permission] = &[
    perm("fruit", "list", READ),
    perm("fruit", "retrieve", READ),
    perm("fruit", "create", Rule::Roles(Grants::D)),
    perm("fruit", "update", Rule::Roles(Grants::D)),
    perm("fruit", "partial_update", Rule::Roles(Grants::A)),
    perm("fruit", "destroy", Rule::Roles(Grants::M)),
    perm("harvester", "list", READ),
    perm("harvester", "retrieve", READ),
    perm("harvester", "create", Rule::Roles(Grants::D)),
    // D8: PUT and PATCH both need developer or higher.
    perm("harvester", "update", Rule::Roles(Grants::D)),
    perm("harvester", "partial_update", Rule::Roles(Grants::D)),
    perm("harvester", "destroy", Rule::Roles(Grants::D)),
    perm("harvester", "version_history", Rule::Roles(Grants::S)),
    perm("harvester", "get_assets", Rule::Roles(Grants::S)),
    perm("harvester", "latest_config", Rule::Roles(Grants::S)),
    perm("historicalharvester", "list", READ),
    perm("historicalharvester", "retrieve", READ),
];

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(PERMISSIONS);
    crud_routes!(
        r,
        "fruits",
        "fruit",
        "Fruit",
        named<crate::apps::named::Fruits>
    );
    crud_routes!(r, "harvesters", "harvester", "Harvester", harvesters);
    r.route(
        Method::GET,
        "harvesters/{id}/versions/",
        "harvester",
        "version_history",
        harvesters::versions,
    )
    .summary("Version reports of this harvester (paginated)")
    .doc(Doc::Any);
    r.route(
        Method::GET,
        "harvesters/{id}/assets/",
        "harvester",
        "get_assets",
        harvesters::assets,
    )
    .summary("Physical assets currently on this harvester")
    .doc(Doc::Any);
    r.route(
        Method::GET,
        "harvesters/{id}/config/",
        "harvester",
        "latest_config",
        harvesters::config,
    )
    .summary("The latest configuration report of this harvester")
    .doc(Doc::Any);
    r.route(
        Method::GET,
        "harvesterhistory/",
        "historicalharvester",
        "list",
        history::list,
    )
    .summary("Every create/update/delete of a harvester, newest first; filter `harv_id`")
    .doc(Doc::Page("HarvesterHistory"));
    r.route(
        Method::GET,
        "harvesterhistory/{id}/",
        "historicalharvester",
        "retrieve",
        history::retrieve,
    )
    .doc(Doc::Object("HarvesterHistory"));
}

pub fn schemas(c: &mut Components) {
    component::<fruit::Fruit>(c);
    component::<harvesters::Harvester>(c);
    component::<harvesters::HarvesterInput>(c);
    component::<history::HarvesterHistory>(c);
}

pub use harvesters::record_history;
