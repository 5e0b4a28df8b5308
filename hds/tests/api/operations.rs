//! Health check, metrics, OpenAPI, migrations (docs/api-design.md#health-check,
//! docs/api-design.md#openapi-and-metrics; docs/compatibility.md#d20).

use actix_web::http::StatusCode;
use serde_json::Value;

use crate::support::{spawn, TestDb, Who};

#[actix_web::test]
async fn healthcheck_is_open_but_details_are_for_staff() {
    let app = spawn().await;
    let r = app.get(Who::Anon, "/api/v1/healthcheck/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "online");
    assert_eq!(r.body["database"], "ok");
    assert!(
        r.body.get("host").is_none() && r.body.get("dbs").is_none(),
        "D20: {}",
        r.text
    );
    let r = app.get(Who::Manager, "/api/v1/healthcheck/").await;
    assert!(r.body.get("host").is_none(), "managers are not staff");
    let r = app.get(Who::Admin, "/api/v1/healthcheck/").await;
    assert!(r.body["host"]["cpus"].as_u64().unwrap() >= 1);
    assert_eq!(r.body["dbs"][0]["engine"], "postgresql");
    assert_eq!(r.body["dbs"][0]["name"], app.db.name.as_str());
}

#[actix_web::test]
async fn metrics_count_requests_and_errors() {
    let app = spawn().await;
    app.get(Who::Sqs, "/api/v1/users/profiles/").await; // 403
    let r = app.get(Who::Anon, "/metrics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("hds_http_requests_total{"),
        "{}",
        &r.text[..r.text.len().min(500)]
    );
    assert!(r.text.contains("route=\"/api/v1/users/profiles/\""));
    assert!(
        r.text
            .contains("hds_total_error{basename=\"user\",exception=\"PermissionDenied\"}"),
        "{}",
        r.text
    );
    assert!(r.text.contains("hds_http_request_duration_seconds_bucket"));
    assert!(r.text.contains("hds_db_pool_connections{state=\"in_use\"}"));
}

#[actix_web::test]
async fn openapi_documents_every_route_in_yaml_and_json() {
    let app = spawn().await;
    let r = app.get(Who::Anon, "/api/v1/openapi").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .header("content-type")
        .as_str()
        .starts_with("application/vnd.oai.openapi"));
    assert!(
        r.text.contains("title: Harvester Data Store"),
        "YAML by default"
    );
    let r = app
        .get(Who::Anon, "/api/v1/openapi?format=openapi-json")
        .await;
    let doc: Value = serde_json::from_str(&r.text).unwrap();
    assert_eq!(doc["info"]["title"], "Harvester Data Store");
    for spec in hds::api::route_specs() {
        let op = &doc["paths"][spec.full_path()][spec.method.as_str().to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} is documented",
            spec.method,
            spec.full_path()
        );
        // Its error answers too, each in the error shape: 401 and 404 everywhere (a wrong
        // credential is a 401 on open routes too), 403 where a rule can forbid, 400/429/503
        // from the shared layer.
        let mut codes = vec!["400", "401", "404", "429", "503"];
        if spec.rule != hds::auth::Rule::Open {
            codes.push("403");
        }
        for code in codes {
            assert_eq!(
                op["responses"][code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{} {} documents its {code}",
                spec.method,
                spec.full_path()
            );
        }
        if spec.rule == hds::auth::Rule::Open {
            assert!(op["responses"]["403"].is_null(), "{}", spec.full_path());
        }
    }
    // Responses are wrapped in the envelope.
    let list = &doc["paths"]["/api/v1/users/profiles/"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        list["properties"]["data"]["properties"]["results"]["items"]["$ref"],
        "#/components/schemas/User"
    );
    assert!(doc["components"]["schemas"]["User"]["properties"]["profile"].is_object());
    // Every filter and ordering of a list is a documented parameter.
    let params = doc["paths"]["/api/v1/errorreports/"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap_or_default().to_string())
        .collect::<Vec<_>>();
    for name in [
        "harv_ids", "codes", "primary", "generic", "ordering", "limit", "tz",
    ] {
        assert!(
            params.iter().any(|p| p == name),
            "errorreports/ documents {name}: {params:?}"
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["ErrorReport"]["properties"]["extraction_status"]["$ref"],
        "#/components/schemas/ExtractionStatus"
    );
    let r = app.get(Who::Anon, "/api/v1/docs/").await;
    assert_eq!(r.status, StatusCode::OK, "the docs page is served locally");
}

#[actix_web::test]
async fn migrations_apply_revert_and_reapply() {
    let db = TestDb::empty();
    let url = db.url.clone();
    let applied = crate::support::on_side_runtime(move || {
        Box::pin(async move {
            let first = hds::db::migrate(&url).await.unwrap();
            let again = hds::db::migrate(&url).await.unwrap();
            let reverted = hds::db::revert_all(&url).await.unwrap();
            let reapplied = hds::db::migrate(&url).await.unwrap();
            (first.len(), again.len(), reverted, reapplied.len())
        })
    });
    assert!(applied.0 >= 1);
    assert_eq!(applied.1, 0, "idempotent");
    assert_eq!(applied.2, applied.0, "every migration reverts");
    assert_eq!(applied.3, applied.0);
}

#[actix_web::test]
async fn migrations_started_together_apply_once() {
    // Containers that start together each run `hds migrate` on the same database: the advisory
    // lock lets one apply everything while the other waits, then finds nothing pending.
    let db = TestDb::empty();
    let url = db.url.clone();
    let (a, b) = crate::support::on_side_runtime(move || {
        Box::pin(async move {
            let (a, b) = tokio::join!(hds::db::migrate(&url), hds::db::migrate(&url));
            (a.unwrap().len(), b.unwrap().len())
        })
    });
    assert!(a.max(b) >= 1);
    assert_eq!(a.min(b), 0, "one applies, the other finds nothing pending");
}
