//! The pareto's rollup (`exception_rollup`, ARCHITECTURE.md#pareto-rollup) gives the exact
//! path's answers: random exceptions, reports, edits and deletes, then random filters and
//! windows for every grouping, each answered both ways.

use diesel_async::{AsyncPgConnection, RunQueryDsl};
use hds::api::filters::Query;
use hds::apps::exceptions::pareto::{bars, Counting};
use hds::apps::exceptions::rollup;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::support::spawn;

const GROUPINGS: &[&str] = &[
    "code__code",
    "code__name",
    "code__team",
    "code__cycle",
    "service",
    "robot",
    "node",
    "handled",
    "primary",
    "report__harvester__harv_id",
    "report__harvester__name",
    "report__harvester__is_emulator",
    "report__harvester__fruit__name",
    "report__location__ranch",
    "report__harvester__location__ranch",
    "report__githash",
    "report__gitbranch",
];

/// Ids far above the fixtures'.
const BASE: i64 = 7_000_000;
const HARVESTERS: i64 = 7;
const CODES: i64 = 8;
const LOCATIONS: i64 = 3;
/// 2026-01-01T00:00:00Z; exceptions fall in the 120 days after it.
const EPOCH: i64 = 1_767_225_600;
const SPREAD: i64 = 120 * 86_400;

async fn exec(conn: &mut AsyncPgConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

fn maybe<T: std::fmt::Display>(rng: &mut StdRng, p_null: f64, v: T) -> String {
    match rng.gen_bool(p_null) {
        true => "NULL".into(),
        false => v.to_string(),
    }
}

fn timestamp_sql(rng: &mut StdRng) -> String {
    if rng.gen_bool(0.05) {
        return "NULL".into();
    }
    let micros = rng.gen_range(0..SPREAD * 1_000_000);
    format!("to_timestamp({EPOCH}) + interval '{micros} microseconds'")
}

async fn fleet(conn: &mut AsyncPgConnection) {
    exec(conn, &format!(
        "INSERT INTO fruits (id, name) SELECT {BASE} + g, 'rfruit' || g FROM generate_series(1, 3) g")).await;
    exec(
        conn,
        &format!("INSERT INTO distributors (id, name) VALUES ({BASE}, 'Rollup Distributor')"),
    )
    .await;
    exec(conn, &format!(
        "INSERT INTO locations (id, distributor_id, ranch, country, region)
         SELECT {BASE} + g, {BASE}, 'rranch' || g, 'US', 'CA' FROM generate_series(1, {LOCATIONS}) g")).await;
    // Two emulators (one per fruit, as the schema allows).
    exec(conn, &format!(
        "INSERT INTO harvesters (id, harv_id, fruit_id, location_id, name, is_emulator)
         SELECT {BASE} + g, 70000 + g, {BASE} + 1 + g % 3, {BASE} + 1 + g % {LOCATIONS}, 'rharv' || g, g <= 2
         FROM generate_series(1, {HARVESTERS}) g")).await;
    exec(
        conn,
        &format!(
            "INSERT INTO exception_codes (id, code, name, team, cycle)
         SELECT {BASE} + g, 77000 + g, 'RollupException' || g, 'rteam' || (g % 3), g % 2 = 0
         FROM generate_series(1, {CODES}) g"
        ),
    )
    .await;
}

async fn reports(conn: &mut AsyncPgConnection, rng: &mut StdRng, from: i64, n: i64) {
    let mut rows = Vec::new();
    for i in from..from + n {
        let harvester = BASE + rng.gen_range(1..=HARVESTERS);
        let location = BASE + rng.gen_range(1..=LOCATIONS);
        let location = maybe(rng, 0.2, location);
        let hash = rng.gen_range(0..3);
        let branch = ["main", "dev"].choose(rng).unwrap();
        let time = timestamp_sql(rng);
        rows.push(format!(
            "({i}, {harvester}, {location}::bigint, 'hash{hash}', '{branch}', {time})"
        ));
    }
    exec(
        conn,
        &format!(
            "WITH v (i, harvester, location, hash, branch, time) AS (VALUES {})
         , e AS (INSERT INTO events (uuid, created, last_modified)
                 SELECT 'rollup-' || i, now(), now() FROM v RETURNING id, uuid)
         INSERT INTO error_reports (id, harvester_id, location_id, githash, gitbranch, event_id,
                                    report_time, extraction_status)
         SELECT {BASE} + v.i, v.harvester, v.location, v.hash, v.branch, e.id, v.time, 'done'
         FROM v JOIN e ON e.uuid = 'rollup-' || v.i",
            rows.join(", ")
        ),
    )
    .await;
}

/// A batch of exceptions in one statement, as extraction writes them.
async fn exceptions(conn: &mut AsyncPgConnection, rng: &mut StdRng, reports: &[i64], n: usize) {
    let mut rows = Vec::new();
    for _ in 0..n {
        let code = BASE + rng.gen_range(1..=CODES);
        let code = maybe(rng, 0.05, code);
        let service = match rng.gen_range(0..5) {
            0 => "NULL".to_string(),
            s => format!("'svc{s}'"),
        };
        let node = rng.gen_range(0..3);
        let node = maybe(rng, 0.1, node);
        let robot = rng.gen_range(0..4);
        let robot = maybe(rng, 0.1, robot);
        let report = match rng.gen_bool(0.05) {
            true => "NULL".to_string(),
            false => (BASE + reports.choose(rng).unwrap()).to_string(),
        };
        let handled = rng.gen_bool(0.3);
        let primary = rng.gen_bool(0.3);
        let primary = maybe(rng, 0.1, primary);
        let ts = timestamp_sql(rng);
        rows.push(format!(
            "({code}::bigint, {service}, {node}::int, {robot}::int, 'tb', {ts}, {report}::bigint, {handled}, {primary}::bool)"
        ));
    }
    exec(conn, &format!(
        "INSERT INTO exceptions (code_id, service, node, robot, traceback, \"timestamp\", report_id, handled, \"primary\")
         VALUES {}",
        rows.join(", ")
    )).await;
}

/// Edits and deletes of every kind the rollup must follow.
async fn churn(conn: &mut AsyncPgConnection, rng: &mut StdRng, reports: &[i64]) {
    let m = rng.gen_range(3..9);
    let k = rng.gen_range(0..m);
    let code = BASE + rng.gen_range(1..=CODES);
    let report = BASE + reports.choose(rng).unwrap();
    let harvester = BASE + rng.gen_range(1..=HARVESTERS);
    let hours = rng.gen_range(-400..400);
    let statements = [
        format!("UPDATE exceptions SET code_id = {code} WHERE id % {m} = {k} AND code_id > {BASE}"),
        format!("UPDATE exceptions SET \"timestamp\" = \"timestamp\" + interval '{hours} hours' WHERE id % {m} = {k}"),
        format!("UPDATE exceptions SET \"timestamp\" = NULL WHERE id % {} = {k}", m * 7),
        format!("UPDATE exceptions SET traceback = 'edited' WHERE id % {m} = {k}"),
        format!("UPDATE exceptions SET handled = NOT handled, \"primary\" = NULL WHERE id % {m} = {k}"),
        format!("UPDATE exceptions SET report_id = {report} WHERE id % {} = {k} AND report_id > {BASE}", m * 3),
        format!("UPDATE exceptions SET service = 'svc9', robot = NULL WHERE id % {} = {k}", m * 2),
        format!("DELETE FROM exceptions WHERE id % {} = {k} AND id IN (SELECT id FROM exceptions ORDER BY id DESC LIMIT 3000)", m * 2),
        format!("UPDATE error_reports SET harvester_id = {harvester}, githash = 'hash{m}' WHERE id = {report}"),
        format!("UPDATE error_reports SET location_id = NULL WHERE id = {report} + 1"),
        format!("UPDATE error_reports SET gitbranch = 'hotfix' WHERE id = {report} + 2"),
        format!("UPDATE error_reports SET report_time = report_time + interval '{hours} hours' WHERE id = {report} + 3"),
        format!("UPDATE error_reports SET report_time = NULL WHERE id = {report} + 4"),
        format!("UPDATE exception_codes SET name = 'Renamed{code}' WHERE id = {code}"),
        format!("UPDATE harvesters SET fruit_id = {BASE} + 1 + {k} % 3 WHERE id = {harvester} AND NOT is_emulator"),
    ];
    for sql in statements.choose_multiple(rng, 6) {
        exec(conn, sql).await;
    }
}

fn instant(rng: &mut StdRng) -> String {
    let t = EPOCH - 10 * 86_400 + rng.gen_range(0..SPREAD + 20 * 86_400);
    let aligned = match rng.gen_range(0..5) {
        0 => t - t % 86_400,
        1 => t - t % 86_400 - 1,
        _ => t,
    };
    let dt = chrono::DateTime::from_timestamp(aligned, 0).unwrap();
    match rng.gen_range(0..4) {
        0 => dt.format("%Y-%m-01T00:00:00Z").to_string(),
        1 => format!("{}.999999Z", dt.format("%Y-%m-%dT%H:%M:%S")),
        _ => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

fn random_query(rng: &mut StdRng) -> String {
    let mut p = vec![format!(
        "aggregate_query={}",
        GROUPINGS.choose(rng).unwrap()
    )];
    let mut maybe_add = |rng: &mut StdRng, odds: f64, param: String| {
        if rng.gen_bool(odds) {
            p.push(param);
        }
    };
    let b = |rng: &mut StdRng| ["true", "false"].choose(rng).unwrap().to_string();
    let v = b(rng);
    maybe_add(rng, 0.2, format!("handled={v}"));
    let v = b(rng);
    maybe_add(rng, 0.2, format!("primary={v}"));
    let v = (0..rng.gen_range(1..4))
        .map(|_| (77000 + rng.gen_range(1..=CODES)).to_string())
        .collect::<Vec<_>>()
        .join(",");
    maybe_add(rng, 0.15, format!("codes={v}"));
    let v = (0..rng.gen_range(1..3))
        .map(|_| (70000 + rng.gen_range(1..=HARVESTERS)).to_string())
        .collect::<Vec<_>>()
        .join(",");
    maybe_add(rng, 0.15, format!("harv_ids={v}"));
    let v = rng.gen_range(1..=LOCATIONS);
    maybe_add(rng, 0.1, format!("locations=rranch{v}"));
    let v = rng.gen_range(1..=3);
    maybe_add(rng, 0.1, format!("fruits=rfruit{v}"));
    let v = b(rng);
    maybe_add(rng, 0.1, format!("is_emulator={v}"));
    let v = 77000 + rng.gen_range(1..=CODES);
    maybe_add(rng, 0.05, format!("code__code={v}"));
    let v = rng.gen_range(0..3);
    maybe_add(rng, 0.05, format!("node={v}"));
    let v = rng.gen_range(0..4);
    maybe_add(rng, 0.05, format!("robot={v}"));
    let v = 70000 + rng.gen_range(1..=HARVESTERS);
    maybe_add(rng, 0.05, format!("report__harvester__harv_id={v}"));
    let v = rng.gen_range(1..=CODES);
    maybe_add(rng, 0.05, format!("code__name=RollupException{v}"));
    let v = rng.gen_range(0..3);
    maybe_add(rng, 0.05, format!("code__team=rteam{v}"));
    let v = rng.gen_range(1..5);
    maybe_add(rng, 0.05, format!("service=svc{v}"));
    let v = rng.gen_range(1..=LOCATIONS);
    maybe_add(
        rng,
        0.05,
        format!("report__harvester__location__ranch=rranch{v}"),
    );
    let v = b(rng);
    maybe_add(rng, 0.05, format!("code__cycle={v}"));
    // Filters only the exact path answers: the rollup path must hand over to it.
    maybe_add(rng, 0.05, "traceback=tb".into());
    maybe_add(rng, 0.03, "created_after=2020-01-01T00:00:00Z".into());
    let (a, z) = (instant(rng), instant(rng));
    match rng.gen_range(0..10) {
        0 => p.push(format!("start_time={}", a.min(z))),
        1 => p.push(format!("end_time={}", a.max(z))),
        2..=4 => p.push(format!(
            "start_time={}&end_time={}",
            a.clone().min(z.clone()),
            a.max(z)
        )),
        _ => {}
    }
    // Both windows at once: the exact path's.
    if rng.gen_bool(0.6) {
        let (mut a, mut z) = (instant(rng), instant(rng));
        if a > z {
            std::mem::swap(&mut a, &mut z);
        }
        match rng.gen_range(0..6) {
            0 => p.push(format!("datetime_range=,{z}")),
            1 => p.push(format!("datetime_range={a},")),
            _ => p.push(format!("datetime_range={a},{z}")),
        }
    }
    p.join("&")
}

async fn compare(conn: &mut AsyncPgConnection, rng: &mut StdRng, queries: usize) -> usize {
    let mut by_rollup = 0;
    for _ in 0..queries {
        let qs = random_query(rng);
        let q = Query::parse(&qs);
        let exact = bars(conn, &q, Counting::Exact).await.expect(&qs);
        let rolled = bars(conn, &q, Counting::Rollup).await.expect(&qs);
        assert_eq!(rolled, exact, "rollup and exact differ for {qs}");
        by_rollup += usize::from(rollup::answers(&q));
    }
    by_rollup
}

#[actix_web::test]
async fn the_rollup_answers_as_the_exact_path_through_edits_and_deletes() {
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    let seed: u64 = std::env::var("HDS_ROLLUP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("seed {seed} (HDS_ROLLUP_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    fleet(&mut conn).await;
    let mut ids: Vec<i64> = Vec::new();
    let mut by_rollup = 0;
    for round in 0..4 {
        let from = round * 15 + 1;
        reports(&mut conn, &mut rng, from, 15).await;
        ids.extend(from..from + 15);
        for _ in 0..rng.gen_range(2..5) {
            let n = rng.gen_range(1..150);
            exceptions(&mut conn, &mut rng, &ids, n).await;
        }
        churn(&mut conn, &mut rng, &ids).await;
        if round == 2 {
            // A report deleted takes its exceptions with it (ON DELETE CASCADE).
            let gone = ids.remove(rng.gen_range(0..ids.len()));
            exec(
                &mut conn,
                &format!("DELETE FROM error_reports WHERE id = {}", BASE + gone),
            )
            .await;
        }
        by_rollup += compare(&mut conn, &mut rng, 60).await;
    }
    // A code deleted leaves its exceptions without one (ON DELETE SET NULL).
    exec(
        &mut conn,
        &format!("DELETE FROM exception_codes WHERE id = {BASE} + 1"),
    )
    .await;
    by_rollup += compare(&mut conn, &mut rng, 60).await;
    // About a quarter take the exact path (both windows, or a filter the rollup lacks).
    assert!(
        by_rollup > 150,
        "most queries take the rollup ({by_rollup} of 300)"
    );
    // Month and all-time rows count every exception once, day rows those with a timestamp or a
    // report time.
    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Totals {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        ever: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        months: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        days: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        all: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        timed: i64,
    }
    let t: Totals = diesel::sql_query(
        "SELECT (SELECT COALESCE(sum(n), 0)::bigint FROM exception_rollup WHERE span = 'a') AS ever,
                (SELECT COALESCE(sum(n), 0)::bigint FROM exception_rollup WHERE span = 'm') AS months,
                (SELECT COALESCE(sum(n), 0)::bigint FROM exception_rollup WHERE span = 'd') AS days,
                (SELECT count(*) FROM exceptions) AS all,
                (SELECT count(*) FROM exceptions x LEFT JOIN error_reports r ON r.id = x.report_id
                  WHERE x.\"timestamp\" IS NOT NULL OR r.report_time IS NOT NULL) AS timed",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!((t.ever, t.months, t.days), (t.all, t.all, t.timed), "{t:?}");
    // Emptying the table empties the rollup.
    exec(&mut conn, "TRUNCATE exceptions").await;
    let r = bars(&mut conn, &Query::parse(""), Counting::Rollup)
        .await
        .unwrap();
    assert!(r.is_empty(), "{r:?}");
}
