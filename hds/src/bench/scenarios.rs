//! The benchmark scenarios of `hds loadtest`, against a running server.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::load::{error_report, run, Body, Outcome};

pub struct Options {
    pub base: String,
    pub token: String,
    pub seconds: u64,
    pub connections: usize,
    pub scenarios: Vec<String>,
    pub harv_id: i32,
}

async fn first_id(base: &str, token: &str, path: &str) -> anyhow::Result<i64> {
    let v: Value = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("Authorization", token)
        .send()
        .await?
        .json()
        .await?;
    v["data"]["results"][0]["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no rows at {path}: {v}"))
}

pub async fn run_all(o: &Options) -> anyhow::Result<Vec<Outcome>> {
    let api = format!("{}/api/v1", o.base.trim_end_matches('/'));
    let auth = format!("Token {}", o.token);
    let d = Duration::from_secs(o.seconds);
    let wants = |s: &str| o.scenarios.is_empty() || o.scenarios.iter().any(|x| x == s);
    let mut out = Vec::new();
    // `ingest`: twenty reports per pick session; `ingest-fresh`: a pick session of its own each
    // (the sustained benchmark's load, every report creating its event and pick session).
    for (scenario, per_session) in [("ingest", 20), ("ingest-fresh", 1)] {
        let explicit = o.scenarios.iter().any(|x| x == scenario);
        if !(explicit || (scenario == "ingest" && wants(scenario))) {
            continue;
        }
        let report = error_report(o.harv_id, per_session);
        let sample: Value = serde_json::from_slice(&report(0))?;
        let size = serde_json::to_vec(&sample)?.len();
        let body = Body::Json(Arc::new(report));
        eprintln!("{scenario}: report size {size} bytes");
        out.push(
            run(
                &format!("{scenario} POST errorreports/"),
                &format!("{api}/errorreports/"),
                &auth,
                o.connections,
                d,
                body,
            )
            .await,
        );
    }
    // The other report kinds: `ingest-<kind>` posts generated reports of that kind.
    for (kind, path) in [
        ("version", "harvversion"),
        ("grip", "gripreports"),
        ("asset", "harvassetreport"),
        ("autodiag", "autodiagnostics"),
        ("config", "aftconfigs"),
    ] {
        let name = format!("ingest-{kind}");
        if !o.scenarios.iter().any(|x| x == &name) {
            continue;
        }
        let report = super::load::kind_report(kind, o.harv_id)
            .ok_or_else(|| anyhow::anyhow!("no generator for {kind}"))?;
        eprintln!("{name}: report size {} bytes", report(0).len());
        out.push(
            run(
                &format!("{name} POST {path}/"),
                &format!("{api}/{path}/"),
                &auth,
                o.connections,
                d,
                Body::Json(report),
            )
            .await,
        );
    }
    let gets: Vec<(&str, String)> = vec![
        ("harvesters", "/harvesters/".into()),
        ("harvesters-1000", "/harvesters/?limit=1000".into()),
        ("list", "/errorreports/?limit=10".into()),
        (
            "filtered",
            "/errorreports/?limit=10&harv_ids=5001,5002,5003&codes=9001,9002,9003&primary=true&start_time=20200101T000000&end_time=20300101T000000&ordering=-reportTime".into(),
        ),
        ("detail", String::new()),
        ("pareto", "/exceptions/pareto/?aggregate_query=code__code&aggregate_name=code".into()),
        ("events", "/events/?limit=10".into()),
    ];
    for (name, path) in gets {
        // The fleet reads run only when asked for by name.
        let by_name_only = name.starts_with("harvesters");
        if !wants(name) || (by_name_only && !o.scenarios.iter().any(|x| x == name)) {
            continue;
        }
        let path = if name == "detail" {
            format!(
                "/errorreports/{}/",
                first_id(&api, &auth, "/errorreports/?limit=1").await?
            )
        } else {
            path
        };
        out.push(
            run(
                name,
                &format!("{api}{path}"),
                &auth,
                o.connections,
                d,
                Body::None,
            )
            .await,
        );
    }
    // `pareto:<grouping>`: the pareto by that grouping, unfiltered (asked for by name only).
    for scenario in o.scenarios.iter().filter(|s| s.starts_with("pareto:")) {
        let grouping = &scenario["pareto:".len()..];
        out.push(
            run(
                scenario,
                &format!("{api}/exceptions/pareto/?aggregate_query={grouping}"),
                &auth,
                o.connections,
                d,
                Body::None,
            )
            .await,
        );
    }
    Ok(out)
}

pub fn print(outcomes: &[Outcome]) -> Value {
    println!(
        "{:<28} {:>9} {:>8} {:>9} {:>9} {:>9} {:>7}",
        "scenario", "req/s", "requests", "p50 ms", "p90 ms", "p99 ms", "errors"
    );
    for o in outcomes {
        println!(
            "{:<28} {:>9.1} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>7}",
            o.name,
            o.rps(),
            o.requests,
            o.p50_ms,
            o.p90_ms,
            o.p99_ms,
            o.errors
        );
    }
    json!(outcomes.iter().map(Outcome::json).collect::<Vec<_>>())
}
