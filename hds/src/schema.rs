// @generated automatically by Diesel CLI.

diesel::table! {
    api_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        key_hash -> Text,
        #[max_length = 8]
        key_prefix -> Varchar,
        #[max_length = 100]
        name -> Varchar,
        created -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        session_id -> Nullable<Uuid>,
        idle_timeout_seconds -> Nullable<Int4>,
    }
}

diesel::table! {
    asset_history (history_id) {
        history_id -> Int8,
        id -> Int8,
        asset_type_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        index -> Nullable<Int4>,
        #[max_length = 63]
        serial_number -> Nullable<Varchar>,
        #[max_length = 31]
        version -> Nullable<Varchar>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Nullable<Timestamptz>,
        last_modified -> Nullable<Timestamptz>,
        history_date -> Timestamptz,
        #[max_length = 1]
        history_type -> Bpchar,
        history_user_id -> Nullable<Int8>,
        #[max_length = 100]
        history_change_reason -> Nullable<Varchar>,
    }
}

diesel::table! {
    asset_report_tags (asset_report_id, tag_id) {
        asset_report_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    asset_reports (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        event_id -> Int8,
        #[max_length = 64]
        ingest_key -> Nullable<Bpchar>,
        source_object -> Nullable<Text>,
        #[max_length = 16]
        extraction_status -> Varchar,
        extraction_attempts -> Int4,
        extraction_error -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    asset_types (id) {
        id -> Int8,
        #[max_length = 31]
        name -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    assets (id) {
        id -> Int8,
        asset_type_id -> Int8,
        harvester_id -> Nullable<Int8>,
        index -> Int4,
        #[max_length = 63]
        serial_number -> Varchar,
        #[max_length = 31]
        version -> Nullable<Varchar>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Uuid,
        user_id -> Int8,
        created -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    autodiagnostics_report_tags (autodiagnostics_report_id, tag_id) {
        autodiagnostics_report_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    autodiagnostics_reports (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        result -> Bool,
        robot -> Int4,
        gripper_sn -> Int8,
        event_id -> Int8,
        pick_session_id -> Nullable<Int8>,
        #[max_length = 64]
        ingest_key -> Nullable<Bpchar>,
        source_object -> Nullable<Text>,
        #[max_length = 16]
        extraction_status -> Varchar,
        extraction_attempts -> Int4,
        extraction_error -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    autodiagnostics_runs (id) {
        id -> Int8,
        report_id -> Int8,
        gripper_id -> Int8,
        robot_id -> Int4,
        run_timestamp -> Timestamptz,
        ball_found_result -> Bool,
        result -> Bool,
        template_match_result -> Nullable<Bool>,
        min_vac -> Nullable<Float8>,
        finger_open_value -> Nullable<Float8>,
        finger_closed_value -> Nullable<Float8>,
        finger_delta -> Nullable<Float8>,
        nominal_touch_force -> Nullable<Float8>,
        max_touch_force -> Nullable<Float8>,
        template_match_y_error -> Nullable<Float8>,
        sensors -> Jsonb,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    config_report_tags (config_report_id, tag_id) {
        config_report_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    config_reports (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        event_id -> Int8,
        #[max_length = 64]
        ingest_key -> Nullable<Bpchar>,
        source_object -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    distributors (id) {
        id -> Int8,
        #[max_length = 255]
        name -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    error_report_tags (error_report_id, tag_id) {
        error_report_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    error_reports (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        githash -> Text,
        gitbranch -> Text,
        event_id -> Int8,
        pick_session_id -> Nullable<Int8>,
        ingest_key -> Nullable<Text>,
        #[max_length = 16]
        extraction_status -> Varchar,
        extraction_attempts -> Int4,
        extraction_error -> Nullable<Text>,
        notified_at -> Nullable<Timestamptz>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
        source_object -> Nullable<Text>,
        primary_code_id -> Nullable<Int8>,
    }
}

diesel::table! {
    event_secondary_events (from_event_id, to_event_id) {
        from_event_id -> Int8,
        to_event_id -> Int8,
    }
}

diesel::table! {
    event_tags (event_id, tag_id) {
        event_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    events (id) {
        id -> Int8,
        #[max_length = 40]
        uuid -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    exception_code_manifests (id) {
        id -> Int8,
        #[max_length = 31]
        version -> Varchar,
        manifest -> Jsonb,
        applied_at -> Nullable<Timestamptz>,
        apply_error -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    exception_codes (id) {
        id -> Int8,
        code -> Int4,
        name -> Text,
        msg -> Text,
        team -> Text,
        cycle -> Bool,
        #[max_length = 255]
        operator_msg -> Varchar,
        manifest_id -> Nullable<Int8>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    exceptions (id) {
        id -> Int8,
        code_id -> Nullable<Int8>,
        #[max_length = 64]
        service -> Nullable<Varchar>,
        node -> Nullable<Int4>,
        robot -> Nullable<Int4>,
        traceback -> Nullable<Text>,
        info -> Nullable<Text>,
        timestamp -> Nullable<Timestamptz>,
        report_id -> Nullable<Int8>,
        handled -> Bool,
        primary -> Nullable<Bool>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    failed_ingests (id) {
        id -> Int8,
        #[max_length = 64]
        queue -> Varchar,
        #[max_length = 255]
        message_id -> Varchar,
        #[max_length = 255]
        bucket -> Nullable<Varchar>,
        #[max_length = 1024]
        key -> Nullable<Varchar>,
        http_status -> Nullable<Int4>,
        #[max_length = 64]
        reason -> Varchar,
        detail -> Text,
        body_excerpt -> Text,
        message -> Nullable<Jsonb>,
        receive_count -> Int4,
        first_seen -> Timestamptz,
        last_seen -> Timestamptz,
        resolved_at -> Nullable<Timestamptz>,
        resolved_by_id -> Nullable<Int8>,
        redriven_at -> Nullable<Timestamptz>,
        redrive_count -> Int4,
    }
}

diesel::table! {
    fruits (id) {
        id -> Int8,
        #[max_length = 255]
        name -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    grip_report_tags (grip_report_id, tag_id) {
        grip_report_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    grip_reports (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        event_id -> Int8,
        pick_session_id -> Nullable<Int8>,
        #[max_length = 64]
        ingest_key -> Nullable<Bpchar>,
        source_object -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    harvester_code_releases (id) {
        id -> Int8,
        #[max_length = 40]
        version -> Varchar,
        release -> Jsonb,
        fruit_id -> Int8,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    harvester_history (history_id) {
        history_id -> Int8,
        id -> Int8,
        harv_id -> Int4,
        fruit_id -> Nullable<Int8>,
        location_id -> Nullable<Int8>,
        #[max_length = 255]
        name -> Nullable<Varchar>,
        is_emulator -> Bool,
        release_id -> Nullable<Int8>,
        #[max_length = 20]
        thing_name -> Nullable<Varchar>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
        history_date -> Timestamptz,
        #[max_length = 100]
        history_change_reason -> Nullable<Varchar>,
        #[max_length = 1]
        history_type -> Bpchar,
        history_user_id -> Nullable<Int8>,
    }
}

diesel::table! {
    harvesters (id) {
        id -> Int8,
        harv_id -> Int4,
        fruit_id -> Int8,
        location_id -> Int8,
        #[max_length = 255]
        name -> Nullable<Varchar>,
        is_emulator -> Bool,
        release_id -> Nullable<Int8>,
        #[max_length = 20]
        thing_name -> Nullable<Varchar>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    job_history (history_id) {
        history_id -> Int8,
        id -> Int8,
        event_id -> Nullable<Int8>,
        schema_id -> Nullable<Int8>,
        target_id -> Nullable<Int8>,
        payload -> Nullable<Jsonb>,
        #[max_length = 30]
        jobstatus -> Nullable<Varchar>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Nullable<Timestamptz>,
        last_modified -> Nullable<Timestamptz>,
        history_date -> Timestamptz,
        #[max_length = 100]
        history_change_reason -> Nullable<Varchar>,
        #[max_length = 1]
        history_type -> Bpchar,
        history_user_id -> Nullable<Int8>,
    }
}

diesel::table! {
    job_host_results (id) {
        id -> Int8,
        parent_id -> Int8,
        #[max_length = 30]
        host -> Varchar,
        #[max_length = 30]
        result -> Varchar,
        details -> Jsonb,
        timestamp -> Nullable<Timestamptz>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    job_result_tags (job_result_id, tag_id) {
        job_result_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    job_results (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        event_id -> Int8,
        job_id -> Nullable<Int8>,
        #[max_length = 64]
        ingest_key -> Nullable<Bpchar>,
        source_object -> Nullable<Text>,
        #[max_length = 16]
        extraction_status -> Varchar,
        extraction_attempts -> Int4,
        extraction_error -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
        notified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    job_schedules (id) {
        id -> Int8,
        schema_id -> Int8,
        payload -> Jsonb,
        target_ids -> Array<Nullable<Int8>>,
        #[max_length = 100]
        cron -> Nullable<Varchar>,
        run_at -> Nullable<Timestamptz>,
        next_run -> Nullable<Timestamptz>,
        last_run -> Nullable<Timestamptz>,
        runs -> Int4,
        last_error -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamptz>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    job_schemas (id) {
        id -> Int8,
        job_type_id -> Int8,
        schema -> Jsonb,
        #[max_length = 10]
        version -> Varchar,
        #[max_length = 280]
        comment -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    job_types (id) {
        id -> Int8,
        #[max_length = 20]
        name -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        event_id -> Int8,
        schema_id -> Int8,
        target_id -> Int8,
        payload -> Jsonb,
        #[max_length = 30]
        jobstatus -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
        #[max_length = 10]
        dispatch_status -> Nullable<Varchar>,
        dispatch_attempts -> Int4,
        dispatch_error -> Nullable<Text>,
        dispatched_at -> Nullable<Timestamptz>,
        dispatch_lease -> Nullable<Timestamptz>,
        schedule_id -> Nullable<Int8>,
        scheduled_for -> Nullable<Timestamptz>,
        rollout_id -> Nullable<Int8>,
        rollout_wave -> Nullable<Int4>,
    }
}

diesel::table! {
    locations (id) {
        id -> Int8,
        distributor_id -> Int8,
        #[max_length = 255]
        ranch -> Nullable<Varchar>,
        #[max_length = 255]
        country -> Nullable<Varchar>,
        #[max_length = 255]
        region -> Nullable<Varchar>,
        #[max_length = 40]
        site_channel -> Varchar,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    log_files (id) {
        id -> Int8,
        log_session_id -> Int8,
        #[max_length = 100]
        file_name -> Varchar,
        #[max_length = 50]
        service -> Varchar,
        robot -> Nullable<Int4>,
        #[max_length = 16]
        logfile_type -> Varchar,
        line_count -> Int8,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    log_session_tags (log_session_id, tag_id) {
        log_session_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    log_sessions (id) {
        id -> Int8,
        #[max_length = 255]
        name -> Varchar,
        date_time -> Nullable<Timestamptz>,
        harvester_id -> Nullable<Int8>,
        zip_file_id -> Nullable<Int8>,
        #[max_length = 255]
        upload_bucket -> Varchar,
        #[max_length = 1024]
        upload_key -> Varchar,
        upload_size -> Int8,
        #[max_length = 255]
        uuid -> Varchar,
        #[max_length = 16]
        status -> Varchar,
        progress_done -> Int4,
        progress_total -> Int4,
        failure_reason -> Nullable<Text>,
        attempts -> Int4,
        lease_until -> Nullable<Timestamptz>,
        notified_at -> Nullable<Timestamptz>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    log_videos (id) {
        id -> Int8,
        log_session_id -> Int8,
        #[max_length = 100]
        file_name -> Varchar,
        robot -> Nullable<Int4>,
        #[max_length = 100]
        category -> Varchar,
        meta -> Jsonb,
        video_file_id -> Nullable<Int8>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    migration_logs (id) {
        id -> Int8,
        #[max_length = 31]
        result -> Varchar,
        start_time -> Nullable<Timestamptz>,
        end_time -> Nullable<Timestamptz>,
        output -> Nullable<Text>,
        #[max_length = 40]
        githash -> Varchar,
        applied -> Array<Nullable<Text>>,
        lease -> Nullable<Timestamptz>,
        attempts -> Int4,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    notification_recipients (notification_id, user_id) {
        notification_id -> Int8,
        user_id -> Int8,
    }
}

diesel::table! {
    notifications (id) {
        id -> Int8,
        trigger_on -> Text,
        criteria -> Jsonb,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    pick_session_tags (pick_session_id, tag_id) {
        pick_session_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    pick_sessions (id) {
        id -> Int8,
        #[max_length = 40]
        uuid -> Varchar,
        harvester_id -> Nullable<Int8>,
        location_id -> Nullable<Int8>,
        start_time -> Nullable<Timestamptz>,
        session_length_us -> Nullable<Int8>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Int8,
        session_id -> Uuid,
        token_hash -> Text,
        created -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    release_rollouts (id) {
        id -> Int8,
        release_id -> Int8,
        schema_id -> Int8,
        target_ids -> Array<Nullable<Int8>>,
        wave_ends -> Array<Nullable<Int4>>,
        current_wave -> Int4,
        #[max_length = 10]
        status -> Varchar,
        halt_ratio -> Float8,
        min_reports -> Int4,
        wave_minutes -> Int4,
        wave_started_at -> Nullable<Timestamptz>,
        halt_reason -> Nullable<Text>,
        evaluation -> Nullable<Jsonb>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    release_tags (release_id, tag_id) {
        release_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    s3_files (id) {
        id -> Int8,
        event_id -> Int8,
        #[max_length = 255]
        bucket -> Varchar,
        #[max_length = 1024]
        key -> Varchar,
        #[max_length = 255]
        etag -> Varchar,
        size_bytes -> Nullable<Int8>,
        #[max_length = 255]
        filetype -> Varchar,
        deleted -> Bool,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::table! {
    sess_clips (id) {
        id -> Int8,
        file_id -> Int8,
    }
}

diesel::table! {
    tags (id) {
        id -> Int8,
        #[max_length = 100]
        name -> Varchar,
        #[max_length = 100]
        slug -> Varchar,
    }
}

diesel::table! {
    user_profiles (id) {
        id -> Int8,
        user_id -> Int8,
        #[max_length = 64]
        slack_id -> Nullable<Varchar>,
        #[max_length = 31]
        role -> Varchar,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        #[max_length = 256]
        password -> Varchar,
        last_login -> Nullable<Timestamptz>,
        is_superuser -> Bool,
        #[max_length = 150]
        username -> Varchar,
        #[max_length = 150]
        first_name -> Varchar,
        #[max_length = 150]
        last_name -> Varchar,
        #[max_length = 254]
        email -> Varchar,
        is_staff -> Bool,
        is_active -> Bool,
        date_joined -> Timestamptz,
    }
}

diesel::table! {
    version_report_tags (version_report_id, tag_id) {
        version_report_id -> Int8,
        tag_id -> Int8,
    }
}

diesel::table! {
    version_reports (id) {
        id -> Int8,
        location_id -> Nullable<Int8>,
        harvester_id -> Nullable<Int8>,
        report_time -> Nullable<Timestamptz>,
        report -> Nullable<Jsonb>,
        is_dirty -> Bool,
        has_unexpected -> Bool,
        #[max_length = 64]
        ingest_key -> Nullable<Bpchar>,
        source_object -> Nullable<Text>,
        creator_id -> Nullable<Int8>,
        modified_by_id -> Nullable<Int8>,
        created -> Timestamptz,
        last_modified -> Timestamptz,
    }
}

diesel::joinable!(api_tokens -> auth_sessions (session_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(asset_history -> users (history_user_id));
diesel::joinable!(asset_report_tags -> asset_reports (asset_report_id));
diesel::joinable!(asset_report_tags -> tags (tag_id));
diesel::joinable!(asset_reports -> events (event_id));
diesel::joinable!(asset_reports -> harvesters (harvester_id));
diesel::joinable!(asset_reports -> locations (location_id));
diesel::joinable!(assets -> asset_types (asset_type_id));
diesel::joinable!(assets -> harvesters (harvester_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(autodiagnostics_report_tags -> autodiagnostics_reports (autodiagnostics_report_id));
diesel::joinable!(autodiagnostics_report_tags -> tags (tag_id));
diesel::joinable!(autodiagnostics_reports -> events (event_id));
diesel::joinable!(autodiagnostics_reports -> harvesters (harvester_id));
diesel::joinable!(autodiagnostics_reports -> locations (location_id));
diesel::joinable!(autodiagnostics_reports -> pick_sessions (pick_session_id));
diesel::joinable!(autodiagnostics_runs -> assets (gripper_id));
diesel::joinable!(autodiagnostics_runs -> autodiagnostics_reports (report_id));
diesel::joinable!(config_report_tags -> config_reports (config_report_id));
diesel::joinable!(config_report_tags -> tags (tag_id));
diesel::joinable!(config_reports -> events (event_id));
diesel::joinable!(config_reports -> harvesters (harvester_id));
diesel::joinable!(config_reports -> locations (location_id));
diesel::joinable!(error_report_tags -> error_reports (error_report_id));
diesel::joinable!(error_report_tags -> tags (tag_id));
diesel::joinable!(error_reports -> events (event_id));
diesel::joinable!(error_reports -> harvesters (harvester_id));
diesel::joinable!(error_reports -> locations (location_id));
diesel::joinable!(error_reports -> pick_sessions (pick_session_id));
diesel::joinable!(event_tags -> events (event_id));
diesel::joinable!(event_tags -> tags (tag_id));
diesel::joinable!(exception_codes -> exception_code_manifests (manifest_id));
diesel::joinable!(exceptions -> error_reports (report_id));
diesel::joinable!(exceptions -> exception_codes (code_id));
diesel::joinable!(failed_ingests -> users (resolved_by_id));
diesel::joinable!(grip_report_tags -> grip_reports (grip_report_id));
diesel::joinable!(grip_report_tags -> tags (tag_id));
diesel::joinable!(grip_reports -> events (event_id));
diesel::joinable!(grip_reports -> harvesters (harvester_id));
diesel::joinable!(grip_reports -> locations (location_id));
diesel::joinable!(grip_reports -> pick_sessions (pick_session_id));
diesel::joinable!(harvester_code_releases -> fruits (fruit_id));
diesel::joinable!(harvester_history -> users (history_user_id));
diesel::joinable!(harvesters -> fruits (fruit_id));
diesel::joinable!(harvesters -> harvester_code_releases (release_id));
diesel::joinable!(harvesters -> locations (location_id));
diesel::joinable!(job_history -> users (history_user_id));
diesel::joinable!(job_host_results -> job_results (parent_id));
diesel::joinable!(job_result_tags -> job_results (job_result_id));
diesel::joinable!(job_result_tags -> tags (tag_id));
diesel::joinable!(job_results -> events (event_id));
diesel::joinable!(job_results -> harvesters (harvester_id));
diesel::joinable!(job_results -> jobs (job_id));
diesel::joinable!(job_results -> locations (location_id));
diesel::joinable!(job_schedules -> job_schemas (schema_id));
diesel::joinable!(job_schemas -> job_types (job_type_id));
diesel::joinable!(jobs -> events (event_id));
diesel::joinable!(jobs -> harvesters (target_id));
diesel::joinable!(jobs -> job_schedules (schedule_id));
diesel::joinable!(jobs -> job_schemas (schema_id));
diesel::joinable!(jobs -> release_rollouts (rollout_id));
diesel::joinable!(locations -> distributors (distributor_id));
diesel::joinable!(log_files -> log_sessions (log_session_id));
diesel::joinable!(log_session_tags -> log_sessions (log_session_id));
diesel::joinable!(log_session_tags -> tags (tag_id));
diesel::joinable!(log_sessions -> harvesters (harvester_id));
diesel::joinable!(log_sessions -> sess_clips (zip_file_id));
diesel::joinable!(log_videos -> log_sessions (log_session_id));
diesel::joinable!(log_videos -> s3_files (video_file_id));
diesel::joinable!(notification_recipients -> notifications (notification_id));
diesel::joinable!(notification_recipients -> users (user_id));
diesel::joinable!(pick_session_tags -> pick_sessions (pick_session_id));
diesel::joinable!(pick_session_tags -> tags (tag_id));
diesel::joinable!(pick_sessions -> harvesters (harvester_id));
diesel::joinable!(pick_sessions -> locations (location_id));
diesel::joinable!(refresh_tokens -> auth_sessions (session_id));
diesel::joinable!(release_rollouts -> harvester_code_releases (release_id));
diesel::joinable!(release_rollouts -> job_schemas (schema_id));
diesel::joinable!(release_tags -> harvester_code_releases (release_id));
diesel::joinable!(release_tags -> tags (tag_id));
diesel::joinable!(s3_files -> events (event_id));
diesel::joinable!(sess_clips -> s3_files (file_id));
diesel::joinable!(user_profiles -> users (user_id));
diesel::joinable!(version_report_tags -> tags (tag_id));
diesel::joinable!(version_report_tags -> version_reports (version_report_id));
diesel::joinable!(version_reports -> harvesters (harvester_id));
diesel::joinable!(version_reports -> locations (location_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    asset_history,
    asset_report_tags,
    asset_reports,
    asset_types,
    assets,
    auth_sessions,
    autodiagnostics_report_tags,
    autodiagnostics_reports,
    autodiagnostics_runs,
    config_report_tags,
    config_reports,
    distributors,
    error_report_tags,
    error_reports,
    event_secondary_events,
    event_tags,
    events,
    exception_code_manifests,
    exception_codes,
    exceptions,
    failed_ingests,
    fruits,
    grip_report_tags,
    grip_reports,
    harvester_code_releases,
    harvester_history,
    harvesters,
    job_history,
    job_host_results,
    job_result_tags,
    job_results,
    job_schedules,
    job_schemas,
    job_types,
    jobs,
    locations,
    log_files,
    log_session_tags,
    log_sessions,
    log_videos,
    migration_logs,
    notification_recipients,
    notifications,
    pick_session_tags,
    pick_sessions,
    refresh_tokens,
    release_rollouts,
    release_tags,
    s3_files,
    sess_clips,
    tags,
    user_profiles,
    users,
    version_report_tags,
    version_reports,
);
