//! One module per HDS app. Adding an app: write its permission table, handlers and
//! `routes()`/`schemas()`, then list it here.

pub mod healthcheck;
pub mod users;

use crate::api::openapi::Components;
use crate::api::routes::ApiBuilder;

pub fn routes(api: &mut ApiBuilder) {
    healthcheck::routes(api);
    users::routes(api);
}

pub fn schemas(c: &mut Components) {
    users::schemas(c);
}
