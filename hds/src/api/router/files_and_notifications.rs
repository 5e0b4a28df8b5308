//! Notifications, files announced by S3 events and the failed-ingest log.

use super::*;

pub(super) fn add(t: &mut RouteTable) {
    // ── notifications ────────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "notifications/",
        "notification.list",
        READ,
        notifications::list,
    )
    .filters(notifications::FILTERS)
    .orderings(notifications::ORDERINGS)
    .summary("Notifications; `category=created` (mine) or `is_recipient` (I am a recipient)")
    .page::<Notification>();
    t.add(
        GET,
        "notifications/{id}/",
        "notification.retrieve",
        READ,
        notifications::retrieve,
    )
    .object::<Notification>();
    t.add(
        DELETE,
        "notifications/{id}/",
        "notification.destroy",
        DEVELOPER,
        notifications::destroy,
    )
    .no_content();

    // ── files announced by S3 events ─────────────────────────────────────────────────────
    t.add(GET, "s3files/", "s3file.list", READ, s3files::list)
        .filters(s3files::FILTERS)
        .orderings(s3files::ORDERINGS)
        .summary("Files; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
        .page::<S3File>();
    t.add(POST, "s3files/", "s3file.create", INGEST, s3files::create)
        .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
        .object::<S3File>();
    t.add(
        GET,
        "s3files/{id}/",
        "s3file.retrieve",
        READ,
        s3files::retrieve,
    )
    .object::<S3File>();
    t.add(
        DELETE,
        "s3files/{id}/",
        "s3file.destroy",
        DEVELOPER,
        s3files::destroy,
    )
    .summary("Soft delete: marks the file deleted and deletes the object")
    .text();
    t.add(GET, "sessclip/", "sessclip.list", READ, s3files::list)
        .filters(s3files::FILTERS)
        .orderings(s3files::ORDERINGS)
        .summary("Session clips; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
        .page::<S3File>();
    t.add(POST, "sessclip/", "sessclip.create", INGEST, s3files::create)
        .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
        .object::<S3File>();
    t.add(
        GET,
        "sessclip/{id}/",
        "sessclip.retrieve",
        READ,
        s3files::retrieve,
    )
    .object::<S3File>();
    t.add(
        DELETE,
        "sessclip/{id}/",
        "sessclip.destroy",
        DEVELOPER,
        s3files::destroy,
    )
    .summary("Soft delete: marks the file deleted and deletes the object")
    .text();

    // ── the failed-ingest log ────────────────────────────────────────────────────────────
    t.add(
        POST,
        "failedingests/redrive/",
        "failedingest.redrive",
        MANAGER,
        failed::redrive_many,
    )
    .summary("Send the stored messages `ids` to their queues again")
    .input::<failed::IdsInput>()
    .object::<failed::RedriveOutcome>();
    t.add(GET, "failedingests/", "failedingest.list", SUPPORT, failed::list)
        .filters(failed::FILTERS)
        .orderings(failed::ORDERINGS)
        .summary("Messages that could not be ingested, newest first. Filters: queue, reason, resolved, since, until")
        .page::<failed::FailedIngest>();
    t.add(
        POST,
        "failedingests/",
        "failedingest.create",
        INGEST,
        failed::create,
    )
    .summary("Record a failure (forwarders); the same queue + message id updates the row")
    .input::<failed::FailedIngestInput>()
    .object::<failed::FailedIngest>();
    t.add(
        GET,
        "failedingests/{id}/",
        "failedingest.retrieve",
        SUPPORT,
        failed::retrieve,
    )
    .object::<failed::FailedIngest>();
    t.add(
        POST,
        "failedingests/{id}/redrive/",
        "failedingest.redrive",
        MANAGER,
        failed::redrive_one,
    )
    .summary("Send the stored message to its queue again")
    .object::<failed::FailedIngest>();
    t.add(
        POST,
        "failedingests/{id}/resolve/",
        "failedingest.resolve",
        MANAGER,
        failed::resolve,
    )
    .summary("Mark as handled")
    .object::<failed::FailedIngest>();
}
