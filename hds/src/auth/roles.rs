//! Roles and the permission rules attached to every route.
//!
//! Human roles nest: superuser ⊂ manager ⊂ developer ⊂ support (a superuser may do anything a
//! manager may, and so on). The service roles `sqs`, `jenkins` and `beatbox` are disjoint: they
//! get exactly what a rule names, and being superuser does not grant them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Support,
    Developer,
    Manager,
    Sqs,
    Jenkins,
    Beatbox,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Support,
        Role::Developer,
        Role::Manager,
        Role::Sqs,
        Role::Jenkins,
        Role::Beatbox,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Support => "support",
            Role::Developer => "developer",
            Role::Manager => "manager",
            Role::Sqs => "sqs",
            Role::Jenkins => "jenkins",
            Role::Beatbox => "beatbox",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    fn grant(self) -> Grants {
        match self {
            Role::Support => Grants::SUPPORT,
            Role::Developer => Grants::DEVELOPER,
            Role::Manager => Grants::MANAGER,
            Role::Sqs => Grants::SQS,
            Role::Jenkins => Grants::JENKINS,
            Role::Beatbox => Grants::BEATBOX,
        }
    }
}

/// A set of role predicates. The constants are upward closed (`D` includes managers and
/// superusers), so a caller is allowed when it holds any bit of the set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grants(u8);

impl Grants {
    pub const NONE: Grants = Grants(0);
    pub const ADMIN: Grants = Grants(1);
    pub const MANAGER: Grants = Grants(2);
    pub const DEVELOPER: Grants = Grants(4);
    pub const SUPPORT: Grants = Grants(8);
    pub const SQS: Grants = Grants(16);
    pub const JENKINS: Grants = Grants(32);
    pub const BEATBOX: Grants = Grants(64);

    /// Superuser only.
    pub const A: Grants = Grants::ADMIN;
    /// Manager or superuser.
    pub const M: Grants = Grants::A.or(Grants::MANAGER);
    /// Developer and above.
    pub const D: Grants = Grants::M.or(Grants::DEVELOPER);
    /// Support and above.
    pub const S: Grants = Grants::D.or(Grants::SUPPORT);
    pub const Q: Grants = Grants::SQS;
    pub const J: Grants = Grants::JENKINS;
    pub const B: Grants = Grants::BEATBOX;
    /// The usual read permission: support and above, jenkins, beatbox.
    pub const SJB: Grants = Grants::S.or(Grants::J).or(Grants::B);

    pub const fn or(self, other: Grants) -> Grants {
        Grants(self.0 | other.0)
    }

    pub const fn intersects(self, other: Grants) -> bool {
        self.0 & other.0 != 0
    }

    /// What a user holds: the bit of its role, plus ADMIN when superuser.
    pub fn of(role: Role, is_superuser: bool) -> Grants {
        let mut g = role.grant();
        if is_superuser {
            g = g.or(Grants::ADMIN);
        }
        g
    }

    /// Human-readable list for the API docs.
    pub fn describe(self) -> String {
        let names = [
            (Grants::ADMIN, "superuser"),
            (Grants::MANAGER, "manager"),
            (Grants::DEVELOPER, "developer"),
            (Grants::SUPPORT, "support"),
            (Grants::SQS, "sqs"),
            (Grants::JENKINS, "jenkins"),
            (Grants::BEATBOX, "beatbox"),
        ];
        names
            .iter()
            .filter(|(g, _)| self.intersects(*g))
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, including anonymous callers.
    Open,
    /// Any authenticated, active user.
    Authenticated,
    /// Callers holding one of these grants.
    Roles(Grants),
    /// Callers holding one of these grants, or the user whose id is the `{id}` path segment.
    RolesOrSelf(Grants),
}

impl Rule {
    pub fn describe(self) -> String {
        match self {
            Rule::Open => "Open to anyone.".into(),
            Rule::Authenticated => "Any authenticated user.".into(),
            Rule::Roles(g) => format!("Roles: {}.", g.describe()),
            Rule::RolesOrSelf(g) => format!("Roles: {}; or the user itself.", g.describe()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_nests_and_service_roles_do_not() {
        let manager = Grants::of(Role::Manager, false);
        assert!(manager.intersects(Grants::D) && manager.intersects(Grants::S));
        assert!(!manager.intersects(Grants::A));
        let support = Grants::of(Role::Support, false);
        assert!(support.intersects(Grants::S) && !support.intersects(Grants::D));
        let admin = Grants::of(Role::Support, true);
        assert!(admin.intersects(Grants::A) && admin.intersects(Grants::M));
        assert!(
            !admin.intersects(Grants::Q),
            "superuser is not the sqs role"
        );
        let sqs = Grants::of(Role::Sqs, false);
        assert!(sqs.intersects(Grants::Q) && !sqs.intersects(Grants::SJB));
        assert_eq!(Grants::M.describe(), "superuser, manager");
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
