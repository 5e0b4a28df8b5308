//! Events and pick sessions: rows identified by a client UUID that link everything produced by
//! the same occurrence on a harvester (contract §3.3, §4.2, D6).

mod handlers;
pub mod json;
pub mod link;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};
use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

const READ: Rule = Rule::Roles(Grants::SJB);
const ADMIN: Rule = Rule::Roles(Grants::A);

pub const PERMISSIONS: &[Permission] = &[
    perm("event", "list", READ),
    perm("event", "retrieve", READ),
    perm("event", "create", ADMIN),
    perm("event", "update", ADMIN),
    perm("event", "partial_update", ADMIN),
    perm("event", "destroy", ADMIN),
    perm("event", "get_tags", Rule::Roles(Grants::S.or(Grants::J))),
    perm("picksession", "list", READ),
    perm("picksession", "retrieve", READ),
    perm("picksession", "create", ADMIN),
    perm("picksession", "update", ADMIN),
    perm("picksession", "partial_update", ADMIN),
    perm("picksession", "destroy", ADMIN),
    perm(
        "picksession",
        "get_tags",
        Rule::Roles(Grants::S.or(Grants::J)),
    ),
];

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(PERMISSIONS);
    r.route(
        Method::GET,
        "events/tags/",
        "event",
        "get_tags",
        handlers::event_tags,
    )
    .summary("Every tag used on events")
    .doc(Doc::Any);
    crud_routes!(r, "events", "event", "Event", events);
    r.route(
        Method::GET,
        "picksessions/tags/",
        "picksession",
        "get_tags",
        handlers::picksession_tags,
    )
    .summary("Every tag used on pick sessions")
    .doc(Doc::Any);
    crud_routes!(
        r,
        "picksessions",
        "picksession",
        "PickSession",
        picksessions
    );
}

use handlers::{events, picksessions};

/// The event representation (for other apps' documentation).
pub type EventDoc = handlers::Event;

pub fn schemas(c: &mut Components) {
    component::<handlers::Event>(c);
    component::<handlers::EventInput>(c);
    component::<handlers::PickSession>(c);
    component::<handlers::PickSessionInput>(c);
    component::<handlers::RelatedObject>(c);
}
