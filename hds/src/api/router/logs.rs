//! Log sessions: uploaded session-clip zips, their log files, entries and videos
//! (docs/api-design.md#log-sessions).

use super::*;
use crate::apps::logparser::{
    entries, handlers as logs, upload, LogFile, LogSession, LogVideo, LogWindow, ZipUpload,
};

pub(super) fn add(t: &mut RouteTable) {
    t.add(
        GET,
        "logsessions/",
        "logsession.list",
        READ,
        logs::list_sessions,
    )
    .filters(logs::SESSION_FILTERS)
    .orderings(logs::SESSION_ORDERINGS)
    .summary(
        "Log sessions, newest first. Filters: harv__harv_id, tags, status, created_after/before",
    )
    .page::<LogSession>();
    t.add(POST, "logsessions/", "logsession.create", SUPPORT, upload::create)
        .summary("Upload a session-clip zip (multipart, field `zip_upload`); it is checked, stored and extracted in the background (`status`, `progress`)")
        .streamed()
        .input::<ZipUpload>()
        .object::<LogSession>();
    t.add(
        GET,
        "logsessions/{id}/",
        "logsession.retrieve",
        READ,
        logs::retrieve_session,
    )
    .object::<LogSession>();
    t.add(
        DELETE,
        "logsessions/{id}/",
        "logsession.destroy",
        SUPERUSER,
        logs::destroy_session,
    )
    .summary("Delete the session with its log files, entries, videos and stored objects")
    .no_content();
    t.add(
        GET,
        "logsessions/{id}/entries/",
        "logsession.entries",
        READ,
        entries::list,
    )
    .filters(entries::FILTERS)
    .summary("A window of the session's merged log timeline, oldest first (keyset: after_ts/after_seq, before_ts/before_seq, or at)")
    .object::<LogWindow>();

    t.add(GET, "logfiles/", "logfile.list", READ, logs::list_files)
        .filters(logs::FILE_FILTERS)
        .orderings(logs::FILE_ORDERINGS)
        .summary("Log files, newest first. Filters: log_session_id, created_after/before")
        .page::<LogFile>();
    t.add(
        GET,
        "logfiles/{id}/",
        "logfile.retrieve",
        READ,
        logs::retrieve_file,
    )
    .object::<LogFile>();

    t.add(GET, "logvideos/", "logvideo.list", READ, logs::list_videos)
        .filters(logs::VIDEO_FILTERS)
        .orderings(logs::VIDEO_ORDERINGS)
        .summary("Session videos, newest first. Filters: log_session_id, category, robot, log_session__harv__harv_id, created_after/before")
        .page::<LogVideo>();
    t.add(
        GET,
        "logvideos/{id}/",
        "logvideo.retrieve",
        READ,
        logs::retrieve_video,
    )
    .object::<LogVideo>();
}
