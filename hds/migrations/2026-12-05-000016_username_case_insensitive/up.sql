-- Usernames are unique whatever their case (docs/compatibility.md#d124): login matches them
-- case-insensitively, so `Jane` and `jane` must not be two accounts. An existing clash stops
-- the migration with the names to resolve (rename or deactivate one of each pair).
DO $$
DECLARE
    clashes TEXT;
BEGIN
    SELECT string_agg(names, '; ') INTO clashes
    FROM (SELECT string_agg(username, ', ' ORDER BY id) AS names
          FROM users GROUP BY lower(username) HAVING count(*) > 1) c;
    IF clashes IS NOT NULL THEN
        RAISE EXCEPTION 'usernames that differ only in case must be resolved first: %', clashes;
    END IF;
END $$;
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
