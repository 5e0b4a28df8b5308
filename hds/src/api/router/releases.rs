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
        {
            use crate::apps::harvdeploy::pareto::{self, ReleasePareto};
            use crate::apps::harvdeploy::rollouts::{self, RolloutInput};
            use crate::apps::harvdeploy::ReleaseRollout;
            t.add(
                GET,
                "release/{id}/pareto/",
                "harvcoderelease.pareto",
                SUPPORT,
                pareto::pareto,
            )
            .summary("What got worse with this release: exceptions per code while harvesters ran it, against the same time before")
            .object::<ReleasePareto>();
            t.add(
                GET,
                "release/{id}/rollouts/",
                "harvcoderelease.rollouts",
                READ,
                rollouts::list,
            )
            .summary("The release's staged rollouts, newest first")
            .page::<ReleaseRollout>();
            t.add(
                POST,
                "release/{id}/rollouts/",
                "harvcoderelease.create_rollout",
                MANAGER,
                rollouts::create,
            )
            .summary("Install the release on harvesters in waves (default 1, then 10 %, then the rest), halting when the updated harvesters report errors markedly more often than before")
            .input::<RolloutInput>()
            .creates()
            .object::<ReleaseRollout>();
            t.add(
                GET,
                "rollouts/{id}/",
                "rollout.retrieve",
                READ,
                rollouts::retrieve,
            )
            .object::<ReleaseRollout>();
            t.add(
                POST,
                "rollouts/{id}/halt/",
                "rollout.halt",
                MANAGER,
                rollouts::halt,
            )
            .summary("Stop before the next wave")
            .object::<ReleaseRollout>();
            t.add(
                POST,
                "rollouts/{id}/resume/",
                "rollout.resume",
                MANAGER,
                rollouts::resume,
            )
            .summary("Go on with a halted rollout")
            .object::<ReleaseRollout>();
            t.add(
                POST,
                "rollouts/{id}/cancel/",
                "rollout.cancel",
                MANAGER,
                rollouts::cancel,
            )
            .summary("End the rollout; installs already sent stay")
            .object::<ReleaseRollout>();
        }
    }
}
