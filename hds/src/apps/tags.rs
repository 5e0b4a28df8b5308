//! The shared tag vocabulary: get-or-create tags by name and attach them to rows.

use diesel::sql_types::{Array, BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::sql::{cached_row, Bind};
use crate::error::AppResult;

/// Attaches `names` to row `id` through `join_table (fk, tag_id)`, creating missing tags.
/// Idempotent.
pub async fn add(
    conn: &mut AsyncPgConnection,
    join_table: &str,
    fk: &str,
    id: i64,
    names: &[&str],
) -> AppResult<()> {
    if names.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    names.sort();
    names.dedup();
    // Usually every tag exists already: link them in one round trip, create only when needed.
    let known = link_known(conn, join_table, fk, id, &names).await?;
    if known < names.len() as i64 {
        create(conn, &names).await?;
        link_known(conn, join_table, fk, id, &names).await?;
    }
    Ok(())
}

/// Links the existing tags among `names` to row `id`; returns how many of the names exist.
async fn link_known(
    conn: &mut AsyncPgConnection,
    join_table: &str,
    fk: &str,
    id: i64,
    names: &[String],
) -> AppResult<i64> {
    let sql = format!(
        "WITH known AS (SELECT id FROM tags WHERE name = ANY($2)), \
         linked AS (INSERT INTO {join_table} ({fk}, tag_id) SELECT $1, id FROM known ON CONFLICT DO NOTHING) \
         SELECT count(*) AS n FROM known"
    );
    let row: Count = cached_row(conn, &sql, &[Bind::Int(id), Bind::Texts(names.to_vec())]).await?;
    Ok(row.n)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Creates the tags among `names` that do not exist yet.
async fn create(conn: &mut AsyncPgConnection, names: &[String]) -> AppResult<()> {
    diesel::sql_query(
        "INSERT INTO tags (name, slug) \
         SELECT n, lower(regexp_replace(n, '[^A-Za-z0-9]+', '-', 'g')) || CASE WHEN n ~ '[^a-z0-9-]' \
         THEN '-' || substr(md5(n), 1, 6) ELSE '' END FROM unnest($1::text[]) AS n \
         ON CONFLICT DO NOTHING",
    )
    .bind::<Array<Text>, _>(names)
    .execute(conn)
    .await?;
    Ok(())
}

/// The answer of `events/tags/` and `picksessions/tags/`.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct TagNames {
    pub tags: Vec<String>,
}

/// Every tag name used on rows of `join_table`, sorted.
pub async fn used(conn: &mut AsyncPgConnection, join_table: &str) -> AppResult<Vec<String>> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let rows: Vec<Name> = diesel::sql_query(format!(
        "SELECT DISTINCT t.name FROM {join_table} jt JOIN tags t ON t.id = jt.tag_id ORDER BY t.name"
    ))
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}
