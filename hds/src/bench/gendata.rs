//! Generates a large dataset directly in SQL: harvesters, locations, error reports with events
//! and exceptions, shaped like real ingestion output.

use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::config::Config;

const STEPS: &[&str] = &[
    // A small fleet: 5 ranches, 50 harvesters, the codes 0-19.
    "INSERT INTO fruits (id, name) VALUES (1000001, 'benchberry') ON CONFLICT DO NOTHING",
    "INSERT INTO distributors (id, name) VALUES (1000001, 'Bench Distributor') ON CONFLICT DO NOTHING",
    "INSERT INTO locations (id, distributor_id, ranch, country, region)
       SELECT 1000000 + g, 1000001, 'Bench Ranch ' || g, 'US', 'CA' FROM generate_series(1, 5) g ON CONFLICT DO NOTHING",
    "INSERT INTO harvesters (id, harv_id, fruit_id, location_id, name)
       SELECT 1000000 + g, 5000 + g, 1000001, 1000000 + (g % 5) + 1, 'Bench ' || g FROM generate_series(1, 50) g
       ON CONFLICT DO NOTHING",
    "INSERT INTO exception_codes (code, name, team, cycle)
       SELECT 9000 + g, 'BenchException' || g, 'team' || (g % 4), g % 3 = 0 FROM generate_series(0, 19) g
       ON CONFLICT DO NOTHING",
];

/// Reports per transaction: each chunk is a few statements over generated series (the rows are
/// made inside PostgreSQL, as fast as COPY without shipping them), and a long run shows progress.
const CHUNK: i64 = 250_000;

pub async fn run(config: &Config, reports: i64, exceptions_per_report: i64) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(&config.database_url).await?;
    let started = std::time::Instant::now();
    conn.transaction::<(), anyhow::Error, _>(async move |conn| {
        for step in STEPS {
            diesel::sql_query(*step).execute(conn).await?;
        }
        Ok(())
    })
    .await?;
    let mut done = 0;
    while done < reports {
        let n = CHUNK.min(reports - done);
        chunk(&mut conn, done, n, exceptions_per_report).await?;
        done += n;
        if reports > CHUNK {
            println!(
                "  {done} of {reports} reports ({:.0}s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    diesel::sql_query("ANALYZE").execute(&mut conn).await?;
    println!(
        "generated {reports} error reports with {exceptions_per_report} exceptions each in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Reports `offset + 1 ..= offset + n` (report `g` is `g` × 37 s old, from harvester `g` mod 50)
/// and their exceptions. Shaped like the fleet's: a code is raised by one service on one node
/// (and, for the robot services, one robot), handled or not by its kind; a harvester runs one
/// githash at a time and changes it every 30 days.
async fn chunk(
    conn: &mut AsyncPgConnection,
    offset: i64,
    n: i64,
    exceptions_per_report: i64,
) -> anyhow::Result<()> {
    conn.transaction::<(), anyhow::Error, _>(async move |conn| {
        let base: i64 = {
            #[derive(diesel::QueryableByName)]
            struct N {
                #[diesel(sql_type = BigInt)]
                n: i64,
            }
            let n: N = diesel::sql_query("SELECT COALESCE(MAX(id), 0) AS n FROM events").get_result(conn).await?;
            n.n
        };
        diesel::sql_query(
            "INSERT INTO events (uuid, created, last_modified)
               SELECT 'bench-' || $1 || '-' || g, now(), now() FROM generate_series($3 + 1, $3 + $2) g",
        )
        .bind::<BigInt, _>(base)
        .bind::<BigInt, _>(n)
        .bind::<BigInt, _>(offset)
        .execute(conn)
        .await?;
        diesel::sql_query(
            "INSERT INTO error_reports (location_id, harvester_id, report_time, report, githash, gitbranch, event_id,
                                        extraction_status, notified_at)
               SELECT h.location_id, h.id, now() - (g * interval '37 seconds'),
                      jsonb_build_object('type', 'error', 'serial_number', h.harv_id, 'timestamp', g,
                        'data', jsonb_build_object('githash', v.githash,
                          'sysmon_report', jsonb_build_object('sysmon.0', jsonb_build_object('index', 0, 'PID', g % 1000)))),
                      v.githash, 'main', e.id, 'done', now()
                 FROM generate_series($3 + 1, $3 + $2) g
                 CROSS JOIN LATERAL (SELECT 'h' || ((g % 50 + g * 37 / (30 * 86400)) % 40) AS githash) v
                 JOIN events e ON e.uuid = 'bench-' || $1 || '-' || g
                 JOIN harvesters h ON h.id = 1000000 + (g % 50) + 1",
        )
        .bind::<BigInt, _>(base)
        .bind::<BigInt, _>(n)
        .bind::<BigInt, _>(offset)
        .execute(conn)
        .await?;
        diesel::sql_query(
            "INSERT INTO exceptions (code_id, service, node, robot, traceback, info, \"timestamp\", report_id, handled, \"primary\")
               SELECT c.id, (ARRAY['traychg','harvester','masterui','gripper','robot'])[1 + s.ci % 5],
                      s.ci % 2, CASE WHEN s.ci % 5 >= 3 THEN s.ci % 4 END,
                      'Traceback (most recent call last): bench ' || r.id || ' ' || k,
                      'bench error', r.report_time - (k * interval '1 second'), r.id, s.ci % 3 = 0, k = $2
                 FROM error_reports r
                 CROSS JOIN generate_series(1, $2) k
                 CROSS JOIN LATERAL (SELECT (r.id * 7 + k * 3) % 20 AS ci) s
                 JOIN exception_codes c ON c.code = 9000 + s.ci
                WHERE r.event_id > $1",
        )
        .bind::<BigInt, _>(base)
        .bind::<BigInt, _>(exceptions_per_report)
        .execute(conn)
        .await?;
        Ok(())
    })
    .await
}
