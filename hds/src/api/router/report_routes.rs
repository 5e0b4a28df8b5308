//! Error reports and the other report kinds.

use super::*;

pub(super) fn add(t: &mut RouteTable) {
    // ── error reports ────────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "errorreports/getschema/",
        "errorreport.get_schema",
        Rule::Roles(Grants::S.or(Grants::J).or(Grants::Q)),
        reports::get_schema,
    )
    .summary("The JSON Schema error reports are checked against")
    .free_form();
    t.add(POST, "errorreports/createnotification/", "errorreport.create_notification", DEVELOPER, reports::create_notification)
        .summary("Notify `recipients` about future reports matching this request's filters (harv_ids, locations, fruits, codes, traceback, is_emulator, handled, primary)")
        .input::<reports::CreateNotificationInput>()
        .object::<Notification>();
    t.add(
        GET,
        "errorreports/ingested/",
        "errorreport.ingested",
        INGEST,
        reports::ingested,
    )
    .summary(
        "Whether a report was read from the S3 object `object` (`bucket/key@etag`); for forwarders",
    )
    .object::<reports::IngestedLookup>();
    t.add(GET, "errorreports/", "errorreport.list", READ, reports::list)
        .filters(reports::FILTERS)
        .orderings(reports::ORDERINGS)
        .summary("Error reports, newest first. Filters: harv_ids, locations, fruits, codes, primary, handled, traceback, is_emulator, tags, start_time/end_time (+tz), created_after/before, uuid, generic (JSON paths into the report)")
        .page::<errorreport::ErrorReportListItem>();
    t.add(POST, "errorreports/", "errorreport.create", INGEST, crate::reports::handlers::create::<ErrorReports>)
        .summary("Ingest an error report. Idempotent: the same report (uuid, type, timestamp, harvester) returns the existing row")
        .large_body()
        .object::<errorreport::ErrorReport>();
    t.add(
        GET,
        "errorreports/{id}/",
        "errorreport.retrieve",
        READ,
        reports::retrieve,
    )
    .object::<errorreport::ErrorReport>();
    t.add(
        PUT,
        "errorreports/{id}/",
        "errorreport.update",
        SUPERUSER,
        crate::reports::handlers::update::<ErrorReports>,
    )
    .large_body()
    .object::<errorreport::ErrorReport>();
    t.add(
        PATCH,
        "errorreports/{id}/",
        "errorreport.partial_update",
        SUPERUSER,
        crate::reports::handlers::update::<ErrorReports>,
    )
    .large_body()
    .object::<errorreport::ErrorReport>();
    t.add(
        DELETE,
        "errorreports/{id}/",
        "errorreport.destroy",
        SUPERUSER,
        reports::destroy,
    )
    .no_content();

    // ── the other report kinds ───────────────────────────────────────────────────────────
    {
        use crate::apps::aftconfigs::{kind::ConfigReports, ConfigReport};
        use crate::apps::autodiagnostics::{kind::Autodiagnostics, AutodiagnosticsReport};
        use crate::apps::gripreport::{kind::GripReports, GripReport};
        use crate::apps::harvassets::{kind::AssetReports, AssetReport};
        use crate::apps::harvdeploy::{kind::VersionReports, VersionReport};
        use crate::apps::harvjobs::{kind::JobResultsKind, JobResults};
        use crate::reports::views::{EVENT_FILTERS, EXACT_FILTERS};
        report_kind!(
            t,
            "harvversion/",
            "harvcodeversion",
            VersionReports,
            VersionReport,
            "Version reports",
            [crate::apps::harvdeploy::kind::FILTERS]
        );
        report_kind!(
            t,
            "jobresults/",
            "jobresults",
            JobResultsKind,
            JobResults,
            "Job results",
            [EVENT_FILTERS, crate::apps::harvjobs::kind::FILTERS]
        );
        report_kind!(
            t,
            "autodiagnostics/",
            "autodiagnostics",
            Autodiagnostics,
            AutodiagnosticsReport,
            "Autodiagnostics reports",
            [EVENT_FILTERS, crate::apps::autodiagnostics::kind::FILTERS]
        );
        report_kind!(
            t,
            "gripreports/",
            "gripreports",
            GripReports,
            GripReport,
            "Grip reports",
            [EVENT_FILTERS, EXACT_FILTERS]
        );
        report_kind!(
            t,
            "aftconfigs/",
            "configreports",
            ConfigReports,
            ConfigReport,
            "Configuration reports",
            [EVENT_FILTERS, EXACT_FILTERS]
        );
        report_kind!(
            t,
            "harvassetreport/",
            "harvassetreport",
            AssetReports,
            AssetReport,
            "Asset reports",
            [EVENT_FILTERS]
        );
    }
    {
        use crate::apps::autodiagnostics::{runs, AutodiagnosticsRun};
        t.add(
            GET,
            "autodiagnosticsruns/",
            "autodiagnosticsrun.list",
            READ,
            runs::list,
        )
        .filters(runs::FILTERS)
        .orderings(runs::ORDERINGS)
        .summary("Gripper self-test runs extracted from autodiagnostics reports")
        .page::<AutodiagnosticsRun>();
        t.add(
            GET,
            "autodiagnosticsruns/{id}/",
            "autodiagnosticsrun.retrieve",
            READ,
            runs::retrieve,
        )
        .object::<AutodiagnosticsRun>();
        t.add(
            DELETE,
            "autodiagnosticsruns/{id}/",
            "autodiagnosticsrun.destroy",
            SUPERUSER,
            runs::destroy,
        )
        .no_content();
    }
    {
        use crate::apps::harvassets::{assets, Asset};
        t.add(GET, "harvassets/", "harvassets.list", READ, assets::list)
            .filters(assets::FILTERS)
            .orderings(assets::ORDERINGS)
            .summary("Physical assets and the harvester each is on")
            .page::<Asset>();
        t.add(
            GET,
            "harvassets/{id}/",
            "harvassets.retrieve",
            READ,
            assets::retrieve,
        )
        .object::<Asset>();
        t.add(
            GET,
            "harvassets/{id}/history/",
            "harvassets.history",
            READ,
            assets::history,
        )
        .summary("Every state the asset was in (harvester, index, version), newest first")
        .page::<assets::AssetState>();
        t.add(
            PUT,
            "harvassets/{id}/",
            "harvassets.update",
            SUPERUSER,
            assets::update,
        )
        .summary("Correct an asset (the fields given change)")
        .input::<assets::AssetInput>()
        .object::<Asset>();
        t.add(
            PATCH,
            "harvassets/{id}/",
            "harvassets.partial_update",
            SUPERUSER,
            assets::update,
        )
        .summary("Correct an asset (the fields given change)")
        .input::<assets::AssetInput>()
        .object::<Asset>();
        t.add(
            DELETE,
            "harvassets/{id}/",
            "harvassets.destroy",
            SUPERUSER,
            assets::destroy,
        )
        .no_content();
    }
}
