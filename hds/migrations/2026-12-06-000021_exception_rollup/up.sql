-- Pareto counts kept as exceptions change (ARCHITECTURE.md#pareto-rollup): one row per UTC day, one
-- per UTC month and one for all time, for each combination of the exception's own pareto dimensions
-- and its report's (harvester, location, githash, gitbranch) with the number of exceptions behind
-- it. Days and months are those of the exception's timestamp (`datetime_range`) and of its report's
-- time (`start_time`/`end_time`, what the web app's pareto page sends); the two almost always fall
-- on the same day, so keeping both costs few rows. A pareto whose filters are all on these
-- dimensions sums rows here instead of counting exceptions; the months answer long windows, the
-- all-time rows charts without a window. Codes, harvesters and locations are kept by id, so what
-- can change on them (a code's name, a harvester's emulator flag, fruit or ranch) is read at query
-- time, as the exact path does.
CREATE TABLE exception_rollup (
    -- 'd': the buckets are UTC days; 'm': UTC months; 'a': all time (no buckets).
    span "char" NOT NULL,
    -- Start of the day or month of the exception's timestamp and of its report's time; NULL
    -- without one.
    bucket TIMESTAMPTZ,
    report_bucket TIMESTAMPTZ,
    code_id BIGINT,
    harvester_id BIGINT,
    location_id BIGINT,
    "primary" BOOLEAN,
    handled BOOLEAN NOT NULL,
    service VARCHAR(64),
    node INTEGER,
    robot INTEGER,
    githash TEXT,
    gitbranch TEXT,
    -- May reach 0 after deletes; readers drop groups that sum to 0.
    n BIGINT NOT NULL,
    CONSTRAINT exception_rollup_key UNIQUE NULLS NOT DISTINCT
        (span, bucket, report_bucket, code_id, harvester_id, location_id, "primary", handled,
         service, node, robot, githash, gitbranch)
) PARTITION BY LIST (span);
-- A partition per span: a chart reads only the rows of its spans (all time: the fewest).
CREATE TABLE exception_rollup_days PARTITION OF exception_rollup FOR VALUES IN ('d');
CREATE TABLE exception_rollup_months PARTITION OF exception_rollup FOR VALUES IN ('m');
CREATE TABLE exception_rollup_all PARTITION OF exception_rollup FOR VALUES IN ('a');
-- Windows on the report's time read day and month rows by `report_bucket` (the key's index
-- leads with the exception's `bucket`).
CREATE INDEX exception_rollup_report_bucket_idx ON exception_rollup (span, report_bucket);

-- Each statement on exceptions adds its rows' contributions (a day, a month and an all-time row
-- each, +1 new, -1 old) grouped by key, so a batch of exceptions is one upsert; in key order, so
-- two writers touching the same keys take their row locks in the same order (one waits for the
-- other's commit, neither deadlocks).
CREATE FUNCTION hds_exception_rollup() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    added CONSTANT TEXT := 'SELECT "timestamp", code_id, report_id, "primary", handled, service,
        node, robot, 1 AS d FROM new_rows';
    taken CONSTANT TEXT := 'SELECT "timestamp", code_id, report_id, "primary", handled, service,
        node, robot, -1 AS d FROM old_rows';
BEGIN
    -- (Only the transition tables the operation has may be named, hence the text.)
    -- An exception whose report is gone was deleted by that report's delete (the cascade),
    -- whose own trigger (hds_rollup_report_deleted) has already taken it off.
    EXECUTE format($sql$
    WITH changed AS (%s), keyed AS (
        SELECT date_trunc('day', c."timestamp", 'UTC') AS day,
               date_trunc('day', r.report_time, 'UTC') AS report_day, c.code_id, r.harvester_id,
               r.location_id, c."primary", c.handled, c.service, c.node, c.robot, r.githash,
               r.gitbranch, c.d
        FROM changed c LEFT JOIN error_reports r ON r.id = c.report_id
        WHERE c.report_id IS NULL OR r.id IS NOT NULL
    ), tiers AS (
        SELECT 'd'::"char" AS span, day AS bucket, report_day AS report_bucket, code_id,
               harvester_id, location_id, "primary", handled, service, node, robot, githash,
               gitbranch, d
        FROM keyed WHERE day IS NOT NULL OR report_day IS NOT NULL
        UNION ALL
        SELECT 'm', date_trunc('month', day, 'UTC'), date_trunc('month', report_day, 'UTC'),
               code_id, harvester_id, location_id, "primary", handled, service, node, robot,
               githash, gitbranch, d
        FROM keyed
        UNION ALL
        SELECT 'a', NULL, NULL, code_id, harvester_id, location_id, "primary", handled, service,
               node, robot, githash, gitbranch, d
        FROM keyed
    )
    INSERT INTO exception_rollup AS t (span, bucket, report_bucket, code_id, harvester_id,
        location_id, "primary", handled, service, node, robot, githash, gitbranch, n)
    SELECT span, bucket, report_bucket, code_id, harvester_id, location_id, "primary", handled,
           service, node, robot, githash, gitbranch, sum(d)
    FROM tiers
    GROUP BY span, bucket, report_bucket, code_id, harvester_id, location_id, "primary",
             handled, service, node, robot, githash, gitbranch
    -- An edit that leaves every dimension alone (a traceback, a note) writes nothing.
    HAVING sum(d) <> 0
    ORDER BY span, bucket, report_bucket, code_id, harvester_id, location_id, "primary",
             handled, service, node, robot, githash, gitbranch
    ON CONFLICT ON CONSTRAINT exception_rollup_key DO UPDATE SET n = t.n + EXCLUDED.n
    $sql$, CASE TG_OP WHEN 'INSERT' THEN added
                      WHEN 'DELETE' THEN taken
                      ELSE added || ' UNION ALL ' || taken END);
    RETURN NULL;
END $fn$;

CREATE TRIGGER exceptions_rollup_insert AFTER INSERT ON exceptions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_exception_rollup();
CREATE TRIGGER exceptions_rollup_update AFTER UPDATE ON exceptions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hds_exception_rollup();
CREATE TRIGGER exceptions_rollup_delete AFTER DELETE ON exceptions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_exception_rollup();

CREATE FUNCTION hds_exception_rollup_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE exception_rollup;
    RETURN NULL;
END $$;
CREATE TRIGGER exceptions_rollup_truncate AFTER TRUNCATE ON exceptions
    FOR EACH STATEMENT EXECUTE FUNCTION hds_exception_rollup_truncated();

-- Moves a report's exceptions between report-side keys (harvester, location, githash, gitbranch,
-- report time): `sign` -1 with the report's old columns, +1 with its new ones. Reports change those
-- columns rarely (an admin edit), so this runs per report, and only when one of them changed.
CREATE FUNCTION hds_rollup_shift_report(report BIGINT, harvester BIGINT, location BIGINT,
                                        hash TEXT, branch TEXT, reported TIMESTAMPTZ,
                                        sign INTEGER) RETURNS void
LANGUAGE sql AS $$
    WITH keyed AS (
        SELECT date_trunc('day', x."timestamp", 'UTC') AS day,
               date_trunc('day', reported, 'UTC') AS report_day, x.code_id, x."primary",
               x.handled, x.service, x.node, x.robot
        FROM exceptions x WHERE x.report_id = report
    ), tiers AS (
        SELECT 'd'::"char" AS span, day AS bucket, report_day AS report_bucket, code_id,
               "primary", handled, service, node, robot
        FROM keyed WHERE day IS NOT NULL OR report_day IS NOT NULL
        UNION ALL
        SELECT 'm', date_trunc('month', day, 'UTC'), date_trunc('month', report_day, 'UTC'),
               code_id, "primary", handled, service, node, robot
        FROM keyed
        UNION ALL
        SELECT 'a', NULL, NULL, code_id, "primary", handled, service, node, robot
        FROM keyed
    )
    INSERT INTO exception_rollup AS t (span, bucket, report_bucket, code_id, harvester_id,
        location_id, "primary", handled, service, node, robot, githash, gitbranch, n)
    SELECT span, bucket, report_bucket, code_id, harvester, location, "primary", handled,
           service, node, robot, hash, branch, sign * count(*)
    FROM tiers
    GROUP BY span, bucket, report_bucket, code_id, "primary", handled, service, node, robot
    ORDER BY span, bucket, report_bucket, code_id, "primary", handled, service, node, robot
    ON CONFLICT ON CONSTRAINT exception_rollup_key DO UPDATE SET n = t.n + EXCLUDED.n
$$;

CREATE FUNCTION hds_rollup_report_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hds_rollup_shift_report(OLD.id, OLD.harvester_id, OLD.location_id, OLD.githash,
                                    OLD.gitbranch, OLD.report_time, -1);
    PERFORM hds_rollup_shift_report(NEW.id, NEW.harvester_id, NEW.location_id, NEW.githash,
                                    NEW.gitbranch, NEW.report_time, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER error_reports_rollup_update
    AFTER UPDATE OF harvester_id, location_id, githash, gitbranch, report_time ON error_reports
    FOR EACH ROW
    WHEN ((OLD.harvester_id, OLD.location_id, OLD.githash, OLD.gitbranch, OLD.report_time)
          IS DISTINCT FROM
          (NEW.harvester_id, NEW.location_id, NEW.githash, NEW.gitbranch, NEW.report_time))
    EXECUTE FUNCTION hds_rollup_report_changed();

-- Before the report goes (and its exceptions with it, ON DELETE CASCADE): the exceptions' own
-- delete trigger no longer finds the report's columns, so it skips them and this takes them off
-- while the report is still there.
CREATE FUNCTION hds_rollup_report_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hds_rollup_shift_report(OLD.id, OLD.harvester_id, OLD.location_id, OLD.githash,
                                    OLD.gitbranch, OLD.report_time, -1);
    RETURN OLD;
END $$;
CREATE TRIGGER error_reports_rollup_delete BEFORE DELETE ON error_reports
    FOR EACH ROW EXECUTE FUNCTION hds_rollup_report_deleted();

-- The exceptions there are now.
INSERT INTO exception_rollup (span, bucket, report_bucket, code_id, harvester_id, location_id,
    "primary", handled, service, node, robot, githash, gitbranch, n)
SELECT span, bucket, report_bucket, code_id, harvester_id, location_id, "primary", handled,
       service, node, robot, githash, gitbranch, count(*)
FROM (
    SELECT s.span,
           CASE s.span WHEN 'd' THEN date_trunc('day', x."timestamp", 'UTC')
                       WHEN 'm' THEN date_trunc('month', x."timestamp", 'UTC') END AS bucket,
           CASE s.span WHEN 'd' THEN date_trunc('day', r.report_time, 'UTC')
                       WHEN 'm' THEN date_trunc('month', r.report_time, 'UTC') END
               AS report_bucket,
           x.code_id, r.harvester_id, r.location_id, x."primary", x.handled, x.service, x.node,
           x.robot, r.githash, r.gitbranch
    FROM exceptions x
    LEFT JOIN error_reports r ON r.id = x.report_id
    CROSS JOIN (VALUES ('d'::"char"), ('m'), ('a')) s (span)
    WHERE s.span <> 'd' OR x."timestamp" IS NOT NULL OR r.report_time IS NOT NULL
) k
GROUP BY span, bucket, report_bucket, code_id, harvester_id, location_id, "primary", handled,
         service, node, robot, githash, gitbranch;
