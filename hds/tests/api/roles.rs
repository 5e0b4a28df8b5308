//! The role matrix: every route × every caller, checked against the permission tables.

use actix_web::http::StatusCode;
use diesel_async::RunQueryDsl;
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
fn the_route_table_is_valid_and_every_permission_is_one_rule() {
    let table = hds::api::api_routes();
    table.validate().expect("route table");
    let specs = table.specs();
    assert!(
        specs.len() >= 100,
        "every route is in the table: {}",
        specs.len()
    );
    // The permission table derived from the routes: one rule per basename.action.
    let mut rules: Vec<(&str, &str, Rule)> = Vec::new();
    for s in &specs {
        match rules
            .iter()
            .find(|(b, a, _)| *b == s.basename && *a == s.action)
        {
            Some((_, _, rule)) => assert_eq!(*rule, s.rule, "{}.{}", s.basename, s.action),
            None => rules.push((s.basename, s.action, s.rule)),
        }
    }
    assert!(rules.len() >= 80, "{} permissions", rules.len());
}

#[test]
fn a_route_without_a_declared_answer_is_refused() {
    let mut t = hds::api::routes::RouteTable::default();
    t.add(
        actix_web::http::Method::GET,
        "users/x/",
        "user.x",
        Rule::Open,
        || async { "" },
    );
    let err = t.validate().unwrap_err();
    assert!(err.contains("declares no answer"), "{err}");
}

#[test]
fn a_route_registered_twice_is_refused() {
    let mut t = hds::api::routes::RouteTable::default();
    t.add(
        actix_web::http::Method::GET,
        "users/x/",
        "user.x",
        Rule::Open,
        || async { "" },
    )
    .raw();
    t.add(
        actix_web::http::Method::GET,
        "users/x/",
        "user.y",
        Rule::Open,
        || async { "" },
    )
    .raw();
    let err = t.validate().unwrap_err();
    assert!(err.contains("registered twice"), "{err}");
}

#[test]
fn one_permission_under_two_rules_is_refused() {
    let mut t = hds::api::routes::RouteTable::default();
    t.add(
        actix_web::http::Method::GET,
        "a/",
        "thing.list",
        Rule::Open,
        || async { "" },
    )
    .raw();
    t.add(
        actix_web::http::Method::GET,
        "b/",
        "thing.list",
        Rule::Authenticated,
        || async { "" },
    )
    .raw();
    let err = t.validate().unwrap_err();
    assert!(err.contains("two rules"), "{err}");
}

#[test]
#[should_panic(expected = "declares no answer")]
fn mounting_a_table_with_an_undeclared_answer_fails_at_startup() {
    let mut t = hds::api::routes::RouteTable::default();
    t.add(
        actix_web::http::Method::GET,
        "users/x/",
        "user.x",
        Rule::Open,
        || async { "" },
    );
    let _app = actix_web::App::new().configure(|cfg| t.mount(cfg, 1024));
}

/// A non-numeric id is "no such route" for everyone, before authentication: the original web
/// app calls `users/profiles/undefined/` before anyone signs in and logs out on any 401.
#[actix_web::test]
async fn a_non_numeric_id_is_404_on_every_route_before_authentication() {
    let app = spawn().await;
    let mut checked = 0;
    for spec in hds::api::route_specs() {
        if !spec.path.contains("{id}") {
            continue;
        }
        for bad in ["undefined", "1a", "-1", "null"] {
            let path = spec.full_path().replace("{id}", bad);
            for who in [Who::Anon, Who::Admin] {
                let body = (spec.method != actix_web::http::Method::GET).then(|| json!({}));
                let r = app.call(who, spec.method.clone(), &path, body).await;
                assert_eq!(
                    r.status,
                    StatusCode::NOT_FOUND,
                    "{} {path} as {who:?}: {}",
                    spec.method,
                    r.text
                );
                assert_eq!(r.body["status"], "error", "{}", r.text);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Every filter a route declares (and so documents in the OpenAPI document) is read by its
/// handler with its declared type: a well-formed value is accepted and a malformed one is a 400
/// naming the parameter; every declared ordering name sorts.
#[actix_web::test]
async fn every_declared_filter_is_applied_with_its_type() {
    use hds::api::filters::ParamType;
    let app = spawn().await;
    // Routes of one row with filters (a log session's entries) need a row to read.
    let session: i64 = {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        diesel::sql_query(
            "INSERT INTO log_sessions (name, upload_bucket, upload_key, upload_size, uuid, status) \
             VALUES ('filters.zip-1', 'b', 'k', 1, 'filters-uuid', 'done') RETURNING id",
        )
        .get_result::<Id>(&mut app.db.conn().await)
        .await
        .unwrap()
        .id
    };
    let mut checked = 0;
    for spec in hds::api::route_specs() {
        if spec.method != actix_web::http::Method::GET {
            continue;
        }
        let path = spec.full_path().replace("{id}", &session.to_string());
        for f in &spec.filters {
            let good = match (f.name, f.ty) {
                ("aggregate_query", _) => "code__code",
                ("generic", _) => "report__data__githash=abc",
                ("category", _) => "created",
                // A log-session position is a time with its seq, given together.
                ("after_ts", _) => "1700000000.5&after_seq=7",
                ("after_seq", _) => "7&after_ts=1700000000.5",
                ("before_ts", _) => "1700000000.5&before_seq=7",
                ("before_seq", _) => "7&before_ts=1700000000.5",
                // A choice: the migration-log result.
                ("result", ParamType::Text) => "success",
                (_, ParamType::Text) => "x",
                (_, ParamType::Texts) => "x,y",
                (_, ParamType::Int) => "7",
                (_, ParamType::Ints) => "7,8",
                (_, ParamType::Float) => "-7.5",
                (_, ParamType::Bool) => "true",
                (_, ParamType::Time) => "2024-01-02T03:04:05Z",
                (_, ParamType::TimeRange) => "2024-01-01,2024-02-01",
                (_, ParamType::Zone) => "UTC",
            };
            // A zone is read with the date/times it applies to.
            let with = |v: &str| match f.ty {
                ParamType::Zone => {
                    let time = spec
                        .filters
                        .iter()
                        .find(|t| t.ty == ParamType::Time)
                        .unwrap_or_else(|| panic!("{path}: tz without a date/time filter"));
                    format!("{path}?{}={v}&{}=2024-01-02", f.name, time.name)
                }
                _ => format!("{path}?{}={v}", f.name),
            };
            let r = app.get(Who::Admin, &with(good)).await;
            assert_eq!(r.status, StatusCode::OK, "{} {}: {}", path, f.name, r.text);
            let bad = match f.ty {
                ParamType::Text | ParamType::Texts => None,
                ParamType::Int => Some("seven"),
                ParamType::Ints => Some("7,x"),
                ParamType::Float => Some("lots"),
                ParamType::Bool => Some("maybe"),
                ParamType::Time => Some("soonish"),
                ParamType::TimeRange => Some("whenever"),
                ParamType::Zone => Some("Mars/Base"),
            };
            if let Some(bad) = bad {
                let r = app.get(Who::Admin, &with(bad)).await;
                assert_eq!(
                    r.status,
                    StatusCode::BAD_REQUEST,
                    "{} {}={bad} is read: {}",
                    path,
                    f.name,
                    r.text
                );
                assert!(
                    r.text.contains(f.name),
                    "{} {}: the 400 names it: {}",
                    path,
                    f.name,
                    r.text
                );
            }
            checked += 1;
        }
        for (name, _) in spec.orderings {
            for o in [name.to_string(), format!("-{name}")] {
                let r = app.get(Who::Admin, &format!("{path}?ordering={o}")).await;
                assert_eq!(r.status, StatusCode::OK, "{path} ordering={o}: {}", r.text);
            }
        }
    }
    assert!(checked > 100, "{checked} filters checked");
}
