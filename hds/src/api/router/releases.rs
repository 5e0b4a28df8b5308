//! Code releases.

use super::*;

pub(super) fn add(t: &mut RouteTable) {
    // ── releases ─────────────────────────────────────────────────────────────────────────
    {
        use crate::apps::harvdeploy::{releases, Release};
        const CI: Rule = Rule::Roles(Grants::A.or(Grants::J));
        t.add(
            GET,
            "release/tags/",
            "harvcoderelease.tags_view",
            SUPPORT,
            releases::tags_view,
        )
        .summary("Every tag used on a release")
        .object::<TagNames>();
        t.add(GET, "release/", "harvcoderelease.list", READ, releases::list)
            .filters(releases::FILTERS)
            .orderings(releases::ORDERINGS)
            .summary("Code releases, newest first. Filters: fruit (name), tags (all of them), created_after/before")
            .page::<Release>();
        t.add(POST, "release/", "harvcoderelease.create", CI, releases::create)
            .summary("Record a release from its manifest (CI): `version`, `project` (the fruit), optional `tags`; the rest is kept as `release`. A second release of a version for a fruit is a 400")
            .object::<Release>();
        t.add(
            GET,
            "release/{id}/",
            "harvcoderelease.retrieve",
            READ,
            releases::retrieve,
        )
        .object::<Release>();
        t.add(
            PUT,
            "release/{id}/",
            "harvcoderelease.update",
            DEVELOPER,
            releases::update,
        )
        .summary("Replace a release from a corrected manifest")
        .object::<Release>();
        t.add(
            PATCH,
            "release/{id}/",
            "harvcoderelease.partial_update",
            SUPERUSER,
            releases::update,
        )
        .summary("Replace a release from a corrected manifest")
        .object::<Release>();
        t.add(
            DELETE,
            "release/{id}/",
            "harvcoderelease.destroy",
            MANAGER,
            releases::destroy,
        )
        .no_content();
        t.add(
            POST,
            "release/{id}/update_tags/",
            "harvcoderelease.update_tags",
            DEVELOPER,
            releases::update_tags,
        )
        .summary("Replace the release's tags (saved: D5)")
        .input::<releases::TagsInput>()
        .object::<Release>();
        t.add(
            PATCH,
            "release/{id}/update_tags/",
            "harvcoderelease.update_tags",
            DEVELOPER,
            releases::update_tags,
        )
        .summary("Replace the release's tags (saved: D5)")
        .input::<releases::TagsInput>()
        .object::<Release>();
        t.add(
            GET,
            "release/{id}/harvesters/",
            "harvcoderelease.harvester_view",
            SUPPORT,
            releases::harvesters,
        )
        .summary("Harvesters set to run this release")
        .page::<crate::apps::harvester::harvesters::Harvester>();
    }
}
