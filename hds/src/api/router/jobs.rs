//! Job types, job schemas, jobs and job schedules (docs/api-design.md#jobs).

use super::*;

pub(super) fn add(t: &mut RouteTable) {
    use crate::apps::harvjobs::jobs::{
        BulkJobInput, CreatedJobs, JobHistoryEntry, JobInput, JobPatch,
    };
    use crate::apps::harvjobs::schedules::{self, ScheduleInput};
    use crate::apps::harvjobs::types::{
        JobSchemaInput, JobSchemaPatch, JobTypeInput, JobTypePatch,
    };
    use crate::apps::harvjobs::{jobs, types, Job, JobSchedule, JobSchema, JobType};
    const CI_OR_DEVELOPER: Rule = Rule::Roles(Grants::A.or(Grants::J).or(Grants::D));
    const CI_OR_MANAGER: Rule = Rule::Roles(Grants::A.or(Grants::J).or(Grants::M));
    const SUPPORT_OR_CI_READ: Rule = Rule::Roles(Grants::S.or(Grants::J));

    // ── job types ────────────────────────────────────────────────────────────────────────
    t.add(GET, "jobtypes/", "jobtype.list", READ, types::list_types)
        .filters(types::TYPE_FILTERS)
        .orderings(types::ORDERINGS)
        .summary("Job types")
        .page::<JobType>();
    t.add(
        POST,
        "jobtypes/",
        "jobtype.create",
        CI_OR_DEVELOPER,
        types::create_type,
    )
    .summary("Add a job type (unique name, at most 20 characters)")
    .input::<JobTypeInput>()
    .object::<JobType>();
    t.add(
        GET,
        "jobtypes/{id}/",
        "jobtype.retrieve",
        READ,
        types::retrieve_type,
    )
    .object::<JobType>();
    t.add(
        PUT,
        "jobtypes/{id}/",
        "jobtype.update",
        DEVELOPER,
        types::update_type,
    )
    .input::<JobTypePatch>()
    .object::<JobType>();
    t.add(
        PATCH,
        "jobtypes/{id}/",
        "jobtype.partial_update",
        SUPERUSER,
        types::update_type,
    )
    .input::<JobTypePatch>()
    .object::<JobType>();
    t.add(
        DELETE,
        "jobtypes/{id}/",
        "jobtype.destroy",
        DEVELOPER,
        types::destroy_type,
    )
    .no_content();

    // ── job schemas ──────────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "jobschemas/",
        "jobschema.list",
        READ,
        types::list_schemas,
    )
    .filters(types::SCHEMA_FILTERS)
    .orderings(types::ORDERINGS)
    .summary("Job schemas, newest first. Filter jobtype__name")
    .page::<JobSchema>();
    t.add(POST, "jobschemas/", "jobschema.create", CI_OR_MANAGER, types::create_schema)
        .summary("Add a version of a job type's payload schema (CI); the schema must compile, a version is unique per type")
        .input::<JobSchemaInput>()
        .object::<JobSchema>();
    t.add(
        GET,
        "jobschemas/{id}/",
        "jobschema.retrieve",
        READ,
        types::retrieve_schema,
    )
    .object::<JobSchema>();
    t.add(
        PUT,
        "jobschemas/{id}/",
        "jobschema.update",
        SUPERUSER,
        types::update_schema,
    )
    .input::<JobSchemaPatch>()
    .object::<JobSchema>();
    t.add(
        PATCH,
        "jobschemas/{id}/",
        "jobschema.partial_update",
        SUPERUSER,
        types::update_schema,
    )
    .input::<JobSchemaPatch>()
    .object::<JobSchema>();
    t.add(
        DELETE,
        "jobschemas/{id}/",
        "jobschema.destroy",
        MANAGER,
        types::destroy_schema,
    )
    .no_content();

    // ── jobs ─────────────────────────────────────────────────────────────────────────────
    t.add(GET, "harvjobs/", "job.list", READ, jobs::list)
        .filters(jobs::FILTERS)
        .orderings(jobs::ORDERINGS)
        .summary("Jobs, newest first")
        .page::<Job>();
    t.add(POST, "harvjobs/", "job.create", SUPPORT, jobs::create)
        .summary("Start a job on a harvester: managers any type, support staff sess_clip, session_scrape and test. The payload gets id, job_type and timeout and is checked against the type's schema version; the worker sends it to the job server")
        .input::<JobInput>()
        .object::<Job>();
    t.add(POST, "harvjobs/bulk/", "job.create_bulk", SUPPORT, jobs::create_bulk)
        .summary("Start the same job on many harvesters (one job each) in one request; same rules as a single job")
        .input::<BulkJobInput>()
        .creates()
        .object::<CreatedJobs>();
    t.add(GET, "harvjobs/{id}/", "job.retrieve", READ, jobs::retrieve)
        .object::<Job>();
    t.add(PUT, "harvjobs/{id}/", "job.update", SUPERUSER, jobs::update)
        .summary("Correct a job's status or payload")
        .input::<JobPatch>()
        .object::<Job>();
    t.add(
        PATCH,
        "harvjobs/{id}/",
        "job.partial_update",
        SUPERUSER,
        jobs::update,
    )
    .summary("Correct a job's status or payload")
    .input::<JobPatch>()
    .object::<Job>();
    t.add(
        DELETE,
        "harvjobs/{id}/",
        "job.destroy",
        SUPERUSER,
        jobs::destroy,
    )
    .no_content();
    t.add(
        GET,
        "harvjobs/{id}/history/",
        "job.status_history",
        SUPPORT_OR_CI_READ,
        jobs::history,
    )
    .summary("The job's statuses, newest first")
    .page::<JobHistoryEntry>();
    t.add(
        GET,
        "harvjobs/{id}/reschedule/",
        "job.reschedule",
        MANAGER,
        jobs::reschedule,
    )
    .summary("Send the job again")
    .object::<Job>();

    // ── job schedules ────────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "jobschedules/",
        "jobschedule.list",
        READ,
        schedules::list,
    )
    .filters(schedules::FILTERS)
    .summary("Job schedules, newest first")
    .page::<JobSchedule>();
    t.add(POST, "jobschedules/", "jobschedule.create", SUPPORT, schedules::create)
        .summary("Schedule a job on harvesters once (run_at) or repeatedly (cron, UTC); same rules as starting the job now. Each due time creates one job per harvester, once")
        .input::<ScheduleInput>()
        .object::<JobSchedule>();
    t.add(
        GET,
        "jobschedules/{id}/",
        "jobschedule.retrieve",
        READ,
        schedules::retrieve,
    )
    .object::<JobSchedule>();
    t.add(
        DELETE,
        "jobschedules/{id}/",
        "jobschedule.destroy",
        SUPPORT,
        schedules::cancel,
    )
    .summary("Cancel a schedule (its creator or a manager); the jobs it created stay")
    .no_content();
}
