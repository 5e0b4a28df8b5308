//! The role matrix: every route × every caller, checked against the permission tables.

use actix_web::http::StatusCode;
use hds::auth::{Grants, Role, Rule};
use serde_json::json;

use crate::support::{spawn, Who};

fn grants(who: Who) -> Option<Grants> {
    Some(match who {
        Who::Anon => return None,
        Who::Admin => Grants::of(Role::Support, true),
        Who::Manager => Grants::of(Role::Manager, false),
        Who::Developer => Grants::of(Role::Developer, false),
        Who::Support => Grants::of(Role::Support, false),
        Who::Sqs => Grants::of(Role::Sqs, false),
        Who::Jenkins => Grants::of(Role::Jenkins, false),
        Who::Beatbox => Grants::of(Role::Beatbox, false),
    })
}

/// What the rule says: `None` = allowed, `Some(status)` = refused with that status.
fn expected(rule: Rule, who: Who) -> Option<StatusCode> {
    let Some(g) = grants(who) else {
        return (rule != Rule::Open).then_some(StatusCode::UNAUTHORIZED);
    };
    match rule {
        Rule::Open | Rule::Authenticated => None,
        // Path ids in this test never name the caller, so "or self" never applies.
        Rule::Roles(allowed) | Rule::RolesOrSelf(allowed) => {
            (!g.intersects(allowed)).then_some(StatusCode::FORBIDDEN)
        }
    }
}

#[actix_web::test]
async fn every_route_enforces_its_permission_row_for_every_role() {
    let app = spawn().await;
    let specs = hds::api::route_specs();
    assert!(specs.len() >= 15, "routes are registered");
    let mut checked = 0;
    for spec in &specs {
        let path = spec.full_path().replace("{id}", "999999");
        for who in Who::ALL {
            let body = (spec.method != actix_web::http::Method::GET).then(|| json!({}));
            let r = app.call(who, spec.method.clone(), &path, body).await;
            match expected(spec.rule, who) {
                Some(status) => assert_eq!(
                    r.status, status,
                    "{} {} as {who:?} must be refused ({:?}): {}",
                    spec.method, path, spec.rule, r.text
                ),
                None => assert!(
                    r.status != StatusCode::FORBIDDEN && r.status != StatusCode::UNAUTHORIZED,
                    "{} {} as {who:?} must be allowed ({:?}), got {}: {}",
                    spec.method,
                    path,
                    spec.rule,
                    r.status,
                    r.text
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, specs.len() * Who::ALL.len());
}

#[test]
fn every_permission_row_is_used_by_a_route() {
    let specs = hds::api::route_specs();
    let tables = [
        hds::apps::users::permissions::PERMISSIONS,
        hds::apps::healthcheck::PERMISSIONS,
    ];
    for table in tables {
        for p in table {
            assert!(
                specs
                    .iter()
                    .any(|s| s.basename == p.basename && s.action == p.action),
                "permission row {}.{} has no route",
                p.basename,
                p.action
            );
        }
    }
}

#[test]
#[should_panic(expected = "no permission entry for user.nonexistent")]
fn a_route_without_a_permission_row_cannot_be_registered() {
    let mut api = hds::api::routes::ApiBuilder::default();
    api.app(hds::apps::users::permissions::PERMISSIONS).route(
        actix_web::http::Method::GET,
        "users/x/",
        "user",
        "nonexistent",
        || async { "" },
    );
}
