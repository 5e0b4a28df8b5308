//! Differential compatibility: the original API's representations, written down here key by key
//! with their JSON types (nested objects included), checked against live answers. A key may be
//! added; none may disappear or change type without an entry in docs/compatibility.md. The
//! status of every route for every role is the role matrix (`roles.rs`); the envelope and the
//! declared types of every answer are checked by the test harness.

use serde_json::{json, Value};

use crate::data::{report, setup_basic, TS};
use crate::support::{run_worker, spawn, Who};

/// The JSON type a key has: `int`, `str`, `bool`, `obj`, `arr` or `any`, `?` when it may be
/// null, or a nested representation.
#[derive(Clone, Copy)]
enum T {
    Int,
    Str,
    Bool,
    Obj,
    Arr,
    Any,
    Null(&'static T),
    Nested(fn() -> Rep),
    List(fn() -> Rep),
}

type Rep = Vec<(&'static str, T)>;

const NULL_INT: T = T::Null(&T::Int);
const NULL_STR: T = T::Null(&T::Str);

fn audit(mut rep: Rep) -> Rep {
    rep.extend([
        ("created", T::Str),
        ("lastModified", T::Str),
        ("creator", NULL_INT),
        ("modifiedBy", NULL_INT),
    ]);
    rep
}

fn named() -> Rep {
    audit(vec![("id", T::Int), ("name", T::Str)])
}

fn location() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("ranch", NULL_STR),
        ("country", NULL_STR),
        ("region", NULL_STR),
        ("site_channel", T::Str),
        ("distributor", T::Nested(named)),
    ])
}

fn harvester() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("harv_id", T::Int),
        ("name", NULL_STR),
        ("is_emulator", T::Bool),
        ("thingName", NULL_STR),
        ("fruit", T::Nested(named)),
        ("location", T::Nested(location)),
        ("release", T::Any),
        ("harvester_history", T::Str),
        ("version_history", T::Str),
        ("assets", T::Str),
        ("config", T::Str),
        ("version", T::Any),
    ])
}

fn event() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("tags", T::Arr),
        ("UUID", T::Str),
        ("secondary_events", T::Arr),
        ("related_objects", T::Arr),
        ("related_files", T::Arr),
    ])
}

fn pick_session() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("tags", T::Arr),
        ("UUID", T::Str),
        ("start_time", NULL_STR),
        ("session_length", NULL_STR),
        ("harvester", T::Obj),
        ("location", T::Obj),
        ("related_objects", T::Arr),
    ])
}

fn code() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("code", T::Int),
        ("name", T::Str),
        ("msg", T::Str),
        ("team", T::Str),
        ("cycle", T::Bool),
        ("operator_msg", T::Str),
        ("manifest", NULL_INT),
    ])
}

fn exception() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("service", NULL_STR),
        ("node", NULL_INT),
        ("robot", NULL_INT),
        ("traceback", NULL_STR),
        ("info", NULL_STR),
        ("timestamp", NULL_STR),
        ("handled", T::Bool),
        ("primary", T::Null(&T::Bool)),
        ("code", T::Nested(code)),
        ("report", NULL_INT),
    ])
}

fn error_report() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("exceptions", T::List(exception)),
        ("tags", T::Arr),
        ("reportTime", NULL_STR),
        ("report", T::Obj),
        ("githash", T::Str),
        ("gitbranch", T::Str),
        ("location", T::Nested(location)),
        ("harvester", T::Nested(harvester)),
        ("event", T::Nested(event)),
        ("pick_session", T::Nested(pick_session)),
    ])
}

fn error_report_list_item() -> Rep {
    vec![
        ("id", T::Int),
        ("reportTime", NULL_STR),
        ("harvester", T::Nested(harvester)),
        ("location", T::Nested(location)),
        ("gitbranch", T::Str),
        ("githash", T::Str),
        ("event", T::Int),
        ("exceptions", T::List(exception)),
        ("tags", T::Arr),
    ]
}

fn s3file() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("file", NULL_STR),
        ("filetype", T::Str),
        ("key", T::Str),
        ("deleted", T::Bool),
        ("event", T::Nested(event)),
    ])
}

fn profile() -> Rep {
    vec![
        ("id", T::Int),
        ("slack_id", NULL_STR),
        ("role", T::Str),
        ("user", T::Int),
    ]
}

fn user() -> Rep {
    vec![
        ("id", T::Int),
        ("first_name", T::Str),
        ("last_name", T::Str),
        ("username", T::Str),
        ("email", T::Str),
        ("is_active", T::Bool),
        ("is_staff", T::Bool),
        ("is_superuser", T::Bool),
        ("last_login", NULL_STR),
        ("profile", T::Nested(profile)),
    ]
}

fn notification() -> Rep {
    audit(vec![
        ("id", T::Int),
        ("trigger_on", T::Str),
        ("criteria", T::Obj),
        ("recipients", T::Arr),
    ])
}

/// Every key of `rep` is in `v` with its type; `at` names the place for the message.
fn check(v: &Value, rep: &Rep, at: &str, problems: &mut Vec<String>) {
    let Some(obj) = v.as_object() else {
        problems.push(format!("{at}: not an object: {v}"));
        return;
    };
    for (key, ty) in rep {
        let here = format!("{at}.{key}");
        match obj.get(*key) {
            None => problems.push(format!("{here}: missing")),
            Some(value) => check_type(value, ty, &here, problems),
        }
    }
}

fn check_type(v: &Value, ty: &T, at: &str, problems: &mut Vec<String>) {
    let ok = match ty {
        T::Int => v.is_i64(),
        T::Str => v.is_string(),
        T::Bool => v.is_boolean(),
        T::Obj => v.is_object(),
        T::Arr => v.is_array(),
        T::Any => true,
        T::Null(inner) => {
            if !v.is_null() {
                check_type(v, inner, at, problems);
            }
            true
        }
        T::Nested(rep) => {
            check(v, &rep(), at, problems);
            true
        }
        T::List(rep) => match v.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(item, &rep(), &format!("{at}[{i}]"), problems);
                }
                true
            }
            None => false,
        },
    };
    if !ok {
        problems.push(format!("{at}: expected {}, got {v}", name(ty)));
    }
}

fn name(ty: &T) -> &'static str {
    match ty {
        T::Int => "an integer",
        T::Str => "a string",
        T::Bool => "a boolean",
        T::Obj | T::Nested(_) => "an object",
        T::Arr | T::List(_) => "a list",
        T::Any | T::Null(_) => "anything",
    }
}

/// The first result of a page, and that the page and envelope are the original's.
fn first(body: &Value, basename: &str, problems: &mut Vec<String>) -> Value {
    if body["message"] != format!("{basename} retrieved successfully") {
        problems.push(format!("{basename} list: message {}", body["message"]));
    }
    for key in ["count", "next", "previous", "results"] {
        if body["data"].get(key).is_none() {
            problems.push(format!("{basename} list: no `{key}`"));
        }
    }
    body["data"]["results"][0].clone()
}

#[actix_web::test]
async fn every_representation_keeps_the_original_keys_and_types() {
    let app = spawn().await;
    let basic = setup_basic(&mut app.db.conn().await).await;
    let created = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "compat-1", TS),
        )
        .await;
    let report_id = created.body["data"]["id"].as_i64().unwrap();
    run_worker(&app.pool).await;
    let s3 = json!({"Records": [{"s3": {"bucket": {"name": "hds-local"},
        "object": {"key": "hdsfiles/robotlog_011_01_compat-1.log", "eTag": "\"e1\"", "size": 5}}}]});
    app.post(
        Who::Sqs,
        "/api/v1/s3files/",
        json!({"MessageId": "compat", "Body": s3.to_string()}),
    )
    .await;
    app.post(
        Who::Manager,
        "/api/v1/errorreports/createnotification/?harv_ids=11",
        json!({"recipients": [app.users.id(Who::Support)]}),
    )
    .await;

    let mut problems = Vec::new();
    let get = |path: String| {
        let app = &app;
        async move { app.get(Who::Admin, &path).await.body }
    };
    // Lists: the page, the envelope and the first result.
    for (path, basename, rep) in [
        (
            "errorreports/",
            "errorreport",
            error_report_list_item as fn() -> Rep,
        ),
        ("events/", "event", event),
        ("picksessions/", "picksession", pick_session),
        ("exceptions/", "exception", exception),
        ("exceptioncodes/", "exceptioncode", code),
        ("harvesters/", "harvester", harvester),
        ("locations/", "location", location),
        ("distributors/", "distributor", named),
        ("fruits/", "fruit", named),
        ("s3files/", "s3file", s3file),
        ("notifications/", "notification", notification),
        ("users/profiles/", "user", user),
    ] {
        let body = get(format!("/api/v1/{path}")).await;
        let item = first(&body, basename, &mut problems);
        check(&item, &rep(), basename, &mut problems);
    }
    // Details.
    let detail = get(format!("/api/v1/errorreports/{report_id}/")).await;
    check(
        &detail["data"],
        &error_report(),
        "errorreport detail",
        &mut problems,
    );
    let one = get(format!("/api/v1/locations/{}/", basic.location)).await;
    check(&one["data"], &location(), "location detail", &mut problems);
    // The pick session's nested harvester is the full one.
    let session = &detail["data"]["pick_session"];
    if session["harvester"].get("id").is_some() {
        check(
            &session["harvester"],
            &harvester(),
            "pick session harvester",
            &mut problems,
        );
    }
    // A pick session without a harvester shows the original's empty stand-ins.
    let bare = app
        .post(
            Who::Admin,
            "/api/v1/picksessions/",
            json!({"UUID": "compat-bare"}),
        )
        .await;
    assert_eq!(
        bare.body["data"]["harvester"],
        json!({"harv_id": null, "name": "", "is_emulator": false, "thingName": "",
            "fruit": null, "location": null, "release": null})
    );
    assert_eq!(
        bare.body["data"]["location"],
        json!({"ranch": "", "country": "", "region": "", "site_channel": "", "distributor": null})
    );
    // The pareto: `{value, count}`, or the key `aggregate_name` names.
    let pareto = get("/api/v1/exceptions/pareto/".into()).await;
    let bar = &pareto["data"][0];
    if !(bar["value"].is_string() && bar["count"].is_i64()) {
        problems.push(format!("pareto: {bar}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
