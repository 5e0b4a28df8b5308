# shellcheck shell=bash
# A real server on fixtures, for the tests that drive it from outside (scripts/e2e, the Postman
# collection in scripts/check-deploy). Sourced after common.sh and rust.sh, with the services'
# environment loaded (eval "$(scripts/services env)").

# free_port START: print START, or the first port above it that nothing listens on (another
# test run may hold START).
free_port() {
    local port="$1"
    while port_open 127.0.0.1 "$port"; do
        port=$((port + 1))
    done
    printf '%s\n' "$port"
}

# start_fixture_server DATABASE PORT: the database DATABASE on DATABASE_URL's server, dropped
# and migrated, with the project fixtures (fixtures/*.json) loaded; `hds runserver` on
# 127.0.0.1:PORT in the background (log: .local/logs/<DATABASE without hds_>-api.log), stopped
# when the calling script exits. Exports DATABASE_URL (that database), HDS_ENV=development,
# HDS_PORT and HDS_FRONTEND_DIR; sets FIXTURE_SERVER_PID and FIXTURE_SERVER_LOG.
start_fixture_server() {
    local db="$1" port="$2" base hds
    parse_url "$DATABASE_URL"
    base="${URL_SCHEME}://${URL_USER:+$URL_USER${URL_PASS:+:$URL_PASS}@}$URL_HOST:${URL_PORT:-5432}"
    export DATABASE_URL="$base/$db"
    export HDS_ENV=development HDS_PORT="$port" HDS_FRONTEND_DIR="$ROOT/frontend/dist"
    hds="$(hds_bin)"

    psql "$base/postgres" -qAtc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
    "$hds" migrate >/dev/null
    "$hds" loaddata "$ROOT"/fixtures/*.json

    mkdir -p "$STATE_DIR/logs"
    FIXTURE_SERVER_LOG="$STATE_DIR/logs/${db#hds_}-api.log"
    "$hds" runserver >"$FIXTURE_SERVER_LOG" 2>&1 &
    FIXTURE_SERVER_PID=$!
    # shellcheck disable=SC2064  # the pid is fixed now
    trap "kill $FIXTURE_SERVER_PID 2>/dev/null || true; wait $FIXTURE_SERVER_PID 2>/dev/null || true" EXIT
    wait_for_port 127.0.0.1 "$port" 60 || {
        tail -50 "$FIXTURE_SERVER_LOG"
        die "server did not start"
    }
}
