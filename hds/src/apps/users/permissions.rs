//! Who may do what with users (deviation D1: the reference left these open).

use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

pub const PERMISSIONS: &[Permission] = &[
    perm("user", "login", Rule::Open),
    perm("user", "logout", Rule::Open),
    perm("user", "csrf", Rule::Open),
    perm("user", "token_refresh", Rule::Open),
    perm("user", "change_password", Rule::Authenticated),
    perm("user", "me", Rule::Authenticated),
    perm("user", "list", Rule::Roles(Grants::S)),
    perm("user", "create", Rule::Roles(Grants::M)),
    perm("user", "retrieve", Rule::RolesOrSelf(Grants::S)),
    perm("user", "update", Rule::RolesOrSelf(Grants::M)),
    perm("user", "partial_update", Rule::RolesOrSelf(Grants::M)),
    perm("user", "destroy", Rule::Roles(Grants::M)),
];
