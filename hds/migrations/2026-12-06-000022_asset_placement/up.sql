-- Placing assets as the worker extracts asset and autodiagnostics reports, in one round trip per
-- report (docs/api-design.md#report-kinds). Each function runs its statements one after the
-- other, exactly as separate statements from the worker would, so the asset history trigger
-- records the same states; it only saves the round trips.

-- The id of asset type `type_name`, created when missing. Reads first: an upsert that rewrites
-- the row would lock it until commit and so serialise every extraction placing that type.
CREATE FUNCTION hds_asset_type(type_name TEXT, by_user BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE type_id BIGINT;
BEGIN
    SELECT id INTO type_id FROM asset_types WHERE name = type_name;
    IF type_id IS NULL THEN
        INSERT INTO asset_types (name, creator_id) VALUES (type_name, by_user)
            ON CONFLICT (name) DO NOTHING RETURNING id INTO type_id;
        IF type_id IS NULL THEN
            -- Created by another transaction meanwhile: this statement's snapshot sees it.
            SELECT id INTO type_id FROM asset_types WHERE name = type_name;
        END IF;
    END IF;
    RETURN type_id;
END $$;

-- Asset report `asset_report`'s entries on harvester `harvester`, in report order: whatever asset of
-- the entry's type was at its index is taken off, the asset is created or moved there, its
-- version updated when given. Unchanged assets are not written (nor recorded in their history).
--
-- One harvester's reports are placed one at a time (a transaction advisory lock per harvester,
-- key space 22): two at once would lock the same assets in different orders and deadlock. And a
-- report older (by report time, then id) than one of the harvester's already placed changes
-- nothing: under a backlog, workers finish reports out of order, and the assets must end as the
-- newest report says.
CREATE FUNCTION hds_place_assets(asset_report BIGINT, harvester BIGINT, by_user BIGINT,
    type_names TEXT[], indexes INTEGER[], serials TEXT[], versions TEXT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    i INTEGER;
    type_id BIGINT;
BEGIN
    IF harvester IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(22, (harvester % 2147483647)::INTEGER);
        IF EXISTS (
            SELECT 1 FROM asset_reports me JOIN asset_reports newer
              ON newer.harvester_id = me.harvester_id
             AND (newer.report_time, newer.id) > (me.report_time, me.id)
            WHERE me.id = asset_report AND newer.extraction_status = 'done'
        ) THEN
            RETURN;
        END IF;
    END IF;
    FOR i IN 1 .. COALESCE(array_length(type_names, 1), 0) LOOP
        type_id := hds_asset_type(type_names[i], by_user);
        UPDATE assets a SET harvester_id = NULL, modified_by_id = by_user, last_modified = now()
        WHERE a.asset_type_id = type_id AND a.harvester_id = harvester
          AND a."index" = indexes[i] AND a.serial_number <> serials[i];
        INSERT INTO assets (asset_type_id, harvester_id, "index", serial_number, version, creator_id)
        VALUES (type_id, harvester, indexes[i], serials[i], versions[i], by_user)
        ON CONFLICT (asset_type_id, serial_number) DO UPDATE SET harvester_id = EXCLUDED.harvester_id,
            "index" = EXCLUDED."index", version = COALESCE(EXCLUDED.version, assets.version),
            modified_by_id = by_user, last_modified = now()
        WHERE assets.harvester_id IS DISTINCT FROM EXCLUDED.harvester_id
           OR assets."index" IS DISTINCT FROM EXCLUDED."index"
           OR (EXCLUDED.version IS NOT NULL AND assets.version IS DISTINCT FROM EXCLUDED.version);
    END LOOP;
END $$;
-- The check above: a harvester's reports newer than one.
CREATE INDEX asset_reports_harvester_time_idx ON asset_reports (harvester_id, report_time, id);

-- The gripper with serial number `serial` recorded on harvester `harvester` at robot index
-- `robot` (an autodiagnostics run's gripper); its id.
CREATE FUNCTION hds_place_gripper(harvester BIGINT, robot INTEGER, serial TEXT, by_user BIGINT)
RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    type_id BIGINT := hds_asset_type('gripper', by_user);
    gripper_id BIGINT;
BEGIN
    INSERT INTO assets (asset_type_id, harvester_id, "index", serial_number, creator_id)
    VALUES (type_id, harvester, robot, serial, by_user)
    ON CONFLICT (asset_type_id, serial_number) DO UPDATE SET harvester_id = EXCLUDED.harvester_id,
        "index" = EXCLUDED."index", modified_by_id = by_user, last_modified = now()
    WHERE assets.harvester_id IS DISTINCT FROM EXCLUDED.harvester_id
       OR assets."index" IS DISTINCT FROM EXCLUDED."index"
    RETURNING id INTO gripper_id;
    IF gripper_id IS NULL THEN
        -- Already there, unchanged (the upsert returns nothing then).
        SELECT id INTO gripper_id FROM assets WHERE asset_type_id = type_id AND serial_number = serial;
    END IF;
    RETURN gripper_id;
END $$;
