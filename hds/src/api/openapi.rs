//! The OpenAPI document, generated from the registered routes and the representation types,
//! with every JSON response wrapped in the envelope (as the reference's AutoSchema does).

use serde_json::{json, Map, Value};

use crate::api::filters::ParamType;
use crate::api::routes::RouteSpec;
use crate::api::shape::{Answer, Components};
use crate::auth::Rule;

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn data_schema(answer: Answer) -> Option<Value> {
    Some(match answer {
        Answer::Object(s) | Answer::Ingested(s) => s.schema_ref(),
        Answer::List(s) => json!({ "type": "array", "items": s.schema_ref() }),
        Answer::Page(s) => json!({
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": { "type": "integer" },
                "next": { "type": ["string", "null"], "format": "uri" },
                "previous": { "type": ["string", "null"], "format": "uri" },
                "results": { "type": "array", "items": s.schema_ref() },
            }
        }),
        Answer::Double(s) => envelope(s.schema_ref()),
        Answer::NoContent | Answer::Raw | Answer::Undeclared => return None,
    })
}

fn envelope(data: Value) -> Value {
    json!({
        "type": "object",
        "required": ["status", "message", "data"],
        "properties": {
            "status": { "type": "string", "enum": ["success"] },
            "message": { "type": "string" },
            "data": data,
        }
    })
}

fn operation(spec: &RouteSpec) -> Value {
    let mut responses = Map::new();
    match spec.answer {
        Answer::NoContent => {
            responses.insert("204".into(), json!({ "description": "Deleted" }));
        }
        Answer::Raw | Answer::Undeclared => {
            responses.insert("200".into(), json!({ "description": "OK" }));
        }
        answer => {
            let code = spec.success_status().to_string();
            let schema = envelope(data_schema(answer).unwrap_or(json!({})));
            responses.insert(
                code,
                json!({ "description": "Success", "content": { "application/json": { "schema": schema } } }),
            );
        }
    }
    let error = json!({ "content": { "application/json": { "schema": schema_ref("Error") } } });
    let mut add_error = |code: &str, desc: &str| {
        let mut e = error.clone();
        e["description"] = json!(desc);
        responses.insert(code.into(), e);
    };
    // Every answer the shared layer can give, from the route's declaration: a client (and
    // schemathesis, scripts/schemathesis) finds each status it may see documented.
    for (code, desc) in error_responses(spec) {
        add_error(code, desc);
    }
    let mut params = Vec::new();
    let mut rest = spec.path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map(|e| e + start)
            .unwrap_or(rest.len());
        let name = &rest[start + 1..end];
        params.push(
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }),
        );
        rest = &rest[end..];
    }
    for f in &spec.filters {
        params.push(
            json!({ "name": f.name, "in": "query", "schema": param_schema(f.ty),
            "description": f.doc }),
        );
    }
    if !spec.orderings.is_empty() {
        let names: Vec<String> = spec
            .orderings
            .iter()
            .flat_map(|(name, _)| [name.to_string(), format!("-{name}")])
            .collect();
        params.push(json!({ "name": "ordering", "in": "query",
            "schema": { "type": "string" },
            "description": format!("Sort by these, comma-separated; `-` for descending. One of: {}.", names.join(", ")) }));
    }
    if matches!(spec.answer, Answer::Page(_)) {
        params.push(json!({ "name": "limit", "in": "query", "schema": { "type": "integer", "maximum": 10000 },
            "description": "Page size (default 10, at most 10000; larger values are clamped)." }));
        params.push(json!({ "name": "offset", "in": "query", "schema": { "type": "integer" } }));
    }
    let mut op = json!({
        "operationId": format!("{}_{}_{}", spec.basename, spec.action, spec.method.as_str().to_lowercase()),
        "tags": [spec.basename],
        "summary": spec.summary,
        "description": format!("{} Permission: {}", spec.summary, spec.rule.describe()),
        "parameters": params,
        "responses": responses,
    });
    if let Some(req) = spec.request {
        op["requestBody"] = if spec.streamed {
            // A streamed upload is a multipart form (docs/api-design.md#log-sessions).
            json!({ "required": true, "content": {
                "multipart/form-data": { "schema": req.schema_ref() },
            }})
        } else {
            json!({ "content": {
                "application/json": { "schema": req.schema_ref() },
                "application/x-www-form-urlencoded": { "schema": req.schema_ref() },
            }})
        };
    }
    if spec.rule != Rule::Open {
        op["security"] = json!([{ "token": [] }, { "bearer": [] }]);
    }
    op
}

/// The error answers `spec` can give (docs/api-design.md#errors), each in the error shape.
pub fn error_responses(spec: &RouteSpec) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("400", "Invalid input (the field is named)")];
    // An `Authorization` header that is present but wrong is a 401 on every route, open ones
    // included (docs/api-design.md#authentication); so is a spent refresh token.
    out.push((
        "401",
        if spec.rule == Rule::Open {
            "Invalid credentials sent (send none on an open route)"
        } else {
            "Missing or invalid credentials"
        },
    ));
    if spec.rule != Rule::Open {
        // Every rule but `Open` can forbid: a role that is not granted, or a handler's own
        // rule (someone else's object, a privilege change).
        out.push(("403", "Permission denied for user"));
    }
    out.push((
        "404",
        if spec.path.contains('{') {
            "No such object (or a path id that is not one)"
        } else {
            "Not found"
        },
    ));
    if spec.request.is_some() {
        out.push(("408", "Request body not received in time"));
        out.push(("413", "Request body too large"));
    }
    out.push((
        "429",
        "Too many requests in progress from this client (or failed logins); see Retry-After",
    ));
    out.push((
        "503",
        "Service temporarily unavailable (database busy, answer past its deadline); see Retry-After",
    ));
    out
}

fn param_schema(ty: ParamType) -> Value {
    match ty {
        ParamType::Text | ParamType::Zone => json!({ "type": "string" }),
        ParamType::Texts => json!({ "type": "string", "description": "comma-separated" }),
        ParamType::Int => json!({ "type": "integer" }),
        ParamType::Float => json!({ "type": "number" }),
        ParamType::Ints => json!({ "type": "string", "pattern": "^-?\\d+(,-?\\d+)*$" }),
        ParamType::Bool => {
            json!({ "type": "string", "enum": ["true", "false", "1", "0", "True", "False"] })
        }
        ParamType::Time => json!({ "type": "string", "format": "date-time" }),
        ParamType::TimeRange => json!({ "type": "string", "description": "start,end" }),
    }
}

/// Documents a body field's column length (`maxLength`): `path` is `name`, `profile.slack_id`
/// or `tags[]`, through `$ref`s and nullable wrappers.
fn set_max_length(schemas: &mut Map<String, Value>, component: &str, path: &str, n: usize) {
    let (path, items) = match path.strip_suffix("[]") {
        Some(p) => (p, true),
        None => (path, false),
    };
    let mut keys: Vec<&str> = path.split('.').collect();
    let Some(last) = keys.pop() else { return };
    let mut name = component.to_string();
    for key in keys {
        let Some(next) = schemas
            .get(&name)
            .and_then(|s| s.pointer(&format!("/properties/{key}")))
            .and_then(referenced)
        else {
            return;
        };
        name = next;
    }
    let Some(field) = schemas
        .get_mut(&name)
        .and_then(|s| s.pointer_mut(&format!("/properties/{last}")))
    else {
        return;
    };
    let target = if items {
        field.get_mut("items")
    } else {
        Some(field)
    };
    if let Some(Value::Object(t)) = target {
        t.insert("maxLength".into(), json!(n));
    }
}

/// The component a property refers to, directly or inside `oneOf`/`anyOf`/`allOf`.
fn referenced(schema: &Value) -> Option<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().map(str::to_string);
    }
    ["oneOf", "anyOf", "allOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(referenced)
}

/// The whole document.
pub fn document(specs: &[RouteSpec], components: Components) -> Value {
    let mut paths = Map::new();
    let mut ids: Vec<String> = Vec::new();
    for spec in specs {
        let mut op = operation(spec);
        // One basename.action may serve two paths (`openapi` and `openapi/`, a redrive of one
        // or many): the second gets its path in its id, so ids stay unique.
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        if ids.contains(&id) {
            let path: String = spec
                .path
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            op["operationId"] = json!(format!("{id}_{}", path.trim_matches('_')));
        }
        ids.push(op["operationId"].as_str().unwrap_or_default().to_string());
        let item = paths.entry(spec.full_path()).or_insert_with(|| json!({}));
        item[spec.method.as_str().to_lowercase()] = op;
    }
    let mut schemas = Map::new();
    for (name, schema) in components {
        schemas.insert(
            name,
            serde_json::to_value(schema).expect("schema serialises"),
        );
    }
    for spec in specs {
        if let Some(req) = spec.request {
            for (path, column) in req.columns() {
                if let Some(n) = crate::api::columns::max_len(column) {
                    set_max_length(&mut schemas, &req.name(), path, n);
                }
            }
        }
    }
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object",
            "required": ["status", "errors"],
            "properties": {
                "status": { "type": "string", "enum": ["error"] },
                "errors": { "type": "object", "description": "`detail` (field errors or a message), `exception` (a message), `request_id` on 500/503." }
            }
        }),
    );
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Harvester Data Store",
            "description": "Home of reports and files generated by AFT harvester. Every JSON answer is \
                wrapped in `{status, message, data}`; errors are `{status: \"error\", errors: {...}}`. \
                Authenticate with `Authorization: Token <api key>` or `Authorization: Bearer <jwt>` \
                (a JWT is also accepted after `Token `). No credentials on a guarded route → 401; \
                a role that is not allowed → 403.",
            "version": "1.0",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": { "type": "apiKey", "in": "header", "name": "Authorization",
                    "description": "`Token <key>`" },
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
            }
        }
    });
    doc
}
