//! `release/`: code releases as CI posts them (the release manifest), their tags and the
//! harvesters on each (docs/api-design.md#releases; docs/compatibility.md#d5).

use actix_web::{web, HttpRequest, HttpResponse};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, TAGS};
use crate::api::sql::{first_id, json_rows, list_page, one, Bind, Listing, Where};
use crate::apps::tags;
use crate::error::{AppError, AppResult};

const FROM: &str = "harvester_code_releases x";

/// Filters of the release list.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new("fruit", ParamType::Text, "For the fruit with this name."),
    TAGS,
];

pub const ORDERINGS: &[(&str, &str)] = &[
    ("created", "x.created"),
    ("id", "x.id"),
    ("version", "x.version"),
];

/// A release manifest as CI posts it: `version`, `project` (the fruit's name), optional `tags`,
/// and any other keys (per host type its versions), kept as the release.
fn parse_manifest(body: &Value) -> AppResult<(String, String, Vec<String>, Value)> {
    let mut rest: Map<String, Value> = body
        .as_object()
        .cloned()
        .ok_or_else(|| AppError::validation_msg("A release manifest must be a JSON object."))?;
    let version = match rest.get("version") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(AppError::validation_field(
                "version",
                "This field is required (a string or a number).",
            ))
        }
    };
    if version.chars().count() > 40 {
        return Err(AppError::validation_field(
            "version",
            "Ensure this field has no more than 40 characters.",
        ));
    }
    let project = rest
        .get("project")
        .and_then(Value::as_str)
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| {
            AppError::validation_field("project", "This field is required (the fruit's name).")
        })?
        .to_lowercase();
    let tags = match rest.remove("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| {
                t.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| AppError::validation_field("tags", "Tags are strings."))
            })
            .collect::<AppResult<_>>()?,
        Some(_) => {
            return Err(AppError::validation_field(
                "tags",
                "Expected a list of strings.",
            ))
        }
    };
    Ok((version, project, tags, Value::Object(rest)))
}

async fn fruit_id(conn: &mut AsyncPgConnection, name: &str) -> AppResult<i64> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('id', id) AS data FROM fruits WHERE lower(name) = $1 ORDER BY id LIMIT 1"
            .to_string(),
        &[Bind::Text(name.to_string())],
    )
    .await?;
    first_id(&rows)
        .ok_or_else(|| AppError::validation_field("project", format!("No fruit named {name:?}.")))
}

fn duplicate(err: AppError) -> AppError {
    if err
        .to_string()
        .contains("harvester_code_releases_version_fruit_id_key")
    {
        return AppError::validation_msg("The fields version, fruit must make a unique set.");
    }
    err
}

pub(super) async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(
        conn,
        FROM,
        &super::release("x"),
        "x.id",
        id,
        "HarvesterCodeRelease",
    )
    .await
}

/// Replaces the release's tags with `names`.
async fn set_tags(conn: &mut AsyncPgConnection, id: i64, names: &[String]) -> AppResult<()> {
    json_rows(
        conn,
        "WITH gone AS (DELETE FROM release_tags WHERE release_id = $1 RETURNING 1) \
         SELECT json_build_object('n', count(*)) AS data FROM gone"
            .to_string(),
        &[Bind::Int(id)],
    )
    .await?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    tags::add(conn, "release_tags", "release_id", id, &names).await
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "x")?;
    if let Some(fruit) = q.get("fruit") {
        w.add(
            "x.fruit_id = ANY(ARRAY(SELECT id FROM fruits WHERE name = ?))",
            [Bind::Text(fruit.to_string())],
        );
    }
    w.tags(&q, "release_tags", "release_id", "x.id");
    let json = super::release("x");
    let l = Listing {
        from: FROM,
        json: &json,
        id: "x.id",
        orderings: ORDERINGS,
        default_order: "x.created DESC, x.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get(&mut db, *id).await?))
}

/// `POST release/` (CI): the manifest becomes a release of the fruit named by `project`.
pub async fn create(ctx: Ctx, mut db: Db, Body(body): Body<Value>) -> AppResult<HttpResponse> {
    let me = ctx.caller()?.user_id;
    let (version, project, tag_names, release) = parse_manifest(&body)?;
    let conn: &mut AsyncPgConnection = &mut db;
    let id = conn
        .transaction::<i64, AppError, _>(async |conn| {
            let fruit = fruit_id(conn, &project).await?;
            let rows = json_rows(
                conn,
                "INSERT INTO harvester_code_releases (version, release, fruit_id, creator_id) \
                 VALUES ($1, $2, $3, $4) RETURNING json_build_object('id', id) AS data"
                    .to_string(),
                &[
                    Bind::Text(version.clone()),
                    Bind::Json(release.clone()),
                    Bind::Int(fruit),
                    Bind::Int(me),
                ],
            )
            .await
            .map_err(duplicate)?;
            let id = first_id(&rows).ok_or_else(|| AppError::internal("release not stored"))?;
            set_tags(conn, id, &tag_names).await?;
            Ok(id)
        })
        .await?;
    Ok(ctx.ok(get(&mut db, id).await?))
}

/// `PUT`/`PATCH release/{id}/`: a corrected manifest (same parsing as create).
pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(body): Body<Value>,
) -> AppResult<HttpResponse> {
    let (me, id) = (ctx.caller()?.user_id, *id);
    let (version, project, tag_names, release) = parse_manifest(&body)?;
    let conn: &mut AsyncPgConnection = &mut db;
    conn.transaction::<(), AppError, _>(async |conn| {
        let fruit = fruit_id(conn, &project).await?;
        let rows = json_rows(
            conn,
            "UPDATE harvester_code_releases SET version = $2, release = $3, fruit_id = $4, \
             modified_by_id = $5, last_modified = now() WHERE id = $1 \
             RETURNING json_build_object('id', id) AS data"
                .to_string(),
            &[
                Bind::Int(id),
                Bind::Text(version.clone()),
                Bind::Json(release.clone()),
                Bind::Int(fruit),
                Bind::Int(me),
            ],
        )
        .await
        .map_err(duplicate)?;
        AppError::unless_none(rows.len(), "HarvesterCodeRelease")?;
        if body.get("tags").is_some() {
            set_tags(conn, id, &tag_names).await?;
        }
        Ok(())
    })
    .await?;
    Ok(ctx.ok(get(&mut db, id).await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(
        &mut db,
        "harvester_code_releases",
        *id,
        "HarvesterCodeRelease",
    )
    .await?;
    Ok(ctx.deleted())
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct TagsInput {
    pub tags: Vec<String>,
}

impl crate::api::body::Input for TagsInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("tags[]", "tags.name")];
}

/// `POST`/`PATCH release/{id}/update_tags/`: replaces the tags, and saves them (D5).
pub async fn update_tags(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<TagsInput>,
) -> AppResult<HttpResponse> {
    let id = *id;
    get(&mut db, id).await?;
    let conn: &mut AsyncPgConnection = &mut db;
    conn.transaction::<(), AppError, _>(async |conn| set_tags(conn, id, &input.tags).await)
        .await?;
    Ok(ctx.message("Tags updated", get(&mut db, id).await?))
}

/// `GET release/tags/`: every tag used on a release.
pub async fn tags_view(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let names = tags::used(&mut db, "release_tags").await?;
    Ok(ctx.message(
        "Release tags retrieved successfully",
        tags::TagNames { tags: names },
    ))
}

/// `GET release/{id}/harvesters/`: the harvesters set to run this release.
pub async fn harvesters(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    get(&mut db, *id).await?;
    let mut w = Where::default();
    w.add("h.release_id = ?", [Bind::Int(*id)]);
    let json = crate::apps::json::harvester_with_last_report("h");
    let l = Listing {
        from: "harvesters h",
        json: &json,
        id: "h.id",
        orderings: &[],
        default_order: "h.id DESC",
    };
    Ok(ctx.message(
        "Harvesters release retrieved successfully",
        list_page(&mut db, &req, &l, &w).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn manifests_are_read_as_the_original_reads_them() {
        let (v, p, t, r) = parse_manifest(&json!({"version": 1.0, "project": "Strawberry",
            "tags": ["stable"], "master": {"version": "1.0"}}))
        .unwrap();
        assert_eq!((v.as_str(), p.as_str()), ("1.0", "strawberry"));
        assert_eq!(t, ["stable"]);
        assert_eq!(
            r,
            json!({"version": 1.0, "project": "Strawberry", "master": {"version": "1.0"}})
        );
        assert!(
            parse_manifest(&json!({"version": "1"})).is_err(),
            "project required"
        );
        assert!(
            parse_manifest(&json!({"project": "x"})).is_err(),
            "version required"
        );
        assert!(parse_manifest(&json!({"version": "1", "project": "x", "tags": "a"})).is_err());
    }
}
