# shellcheck shell=bash
# Shared settings and helpers for the scripts in scripts/.
# Source it after `set -euo pipefail`:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Repository top (this file lives in scripts/lib/).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
# Machine-local state: pids, logs, private database/redis, venv stamps. Git-ignored.
STATE_DIR="$ROOT/.local"
export ROOT STATE_DIR

# Build output outside the clone so CI runs and later builds stay incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hds/target}"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hds}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export MOTO_PORT="${MOTO_PORT:-5005}"
# moto stands in for S3, SQS and SNS; it accepts any credentials.
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
export AWS_REGION="us-west-1"
export AWS_DEFAULT_REGION="$AWS_REGION"
export AWS_ACCESS_KEY_ID="testing"
export AWS_SECRET_ACCESS_KEY="testing"
export HDS_BUCKET="${HDS_BUCKET:-hds-local}"
export HDS_PORT="${HDS_PORT:-8085}"

VENV_DIR="$ROOT/.venv"
REQUIREMENTS="$ROOT/scripts/requirements.txt"

log() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
    printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2
    exit 1
}

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
    local host="$1" port="$2"
    # shellcheck disable=SC2016  # expanded by the inner bash
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null
}

# wait_for_port HOST PORT TIMEOUT_SECONDS: wait until the port accepts connections.
wait_for_port() {
    local host="$1" port="$2" timeout_s="${3:-30}"
    local deadline=$((SECONDS + timeout_s))
    until port_open "$host" "$port"; do
        if ((SECONDS >= deadline)); then
            log "timed out after ${timeout_s}s waiting for $host:$port"
            return 1
        fi
        sleep 0.2
    done
}

# as_root CMD...: run a command with root rights (directly when already root).
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root rights for: $*"
    fi
}

# apt_install PKG...: install Debian packages; runs `apt-get update` once per script run first.
_APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
    if [[ $_APT_UPDATED -eq 0 ]]; then
        log "apt-get update"
        as_root apt-get update -qq >&2 || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
        || die "apt-get install $* failed"
}

# parse_url URL: sets URL_SCHEME URL_USER URL_PASS URL_HOST URL_PORT URL_PATH (path without leading /).
# shellcheck disable=SC2034  # results are read by the callers
parse_url() {
    local url="$1"
    local re='^([A-Za-z][A-Za-z0-9+.-]*)://(([^:@/]*)(:([^@/]*))?@)?(\[[^]/]*\]|[^:/?#]*)(:([0-9]+))?(/([^?#]*))?'
    [[ $url =~ $re ]] || die "cannot parse URL: $url"
    URL_SCHEME="${BASH_REMATCH[1]}"
    URL_USER="${BASH_REMATCH[3]}"
    URL_PASS="${BASH_REMATCH[5]}"
    URL_HOST="${BASH_REMATCH[6]}"
    URL_PORT="${BASH_REMATCH[8]}"
    URL_PATH="${BASH_REMATCH[10]}"
    URL_HOST="${URL_HOST#[}"
    URL_HOST="${URL_HOST%]}"
    [[ -n $URL_HOST ]] || URL_HOST=127.0.0.1
}

# is_local_host HOST: true for loopback names/addresses.
is_local_host() {
    case "$1" in
        127.* | localhost | ::1) return 0 ;;
        *) return 1 ;;
    esac
}

# venv_python: print the path of the project venv's python, creating the venv and
# installing scripts/requirements.txt when missing or when that file changed.
venv_python() {
    venv_ensure "$VENV_DIR" "$REQUIREMENTS"
}

# venv_ensure DIR REQUIREMENTS_FILE: print the path of the python of the venv in DIR, creating
# the venv and installing REQUIREMENTS_FILE when missing or when that file changed. Several
# files may be installed into one venv (each has its own stamp); a tool whose dependencies clash
# with the project's gets a venv of its own.
venv_ensure() {
    local dir="$1" req="$2"
    local py="$dir/bin/python"
    local name stamp want have=""
    name="$(basename "$req" .txt)"
    stamp="$dir/.$name.sha256"
    mkdir -p "$STATE_DIR"
    want="$(cat "$req" <(python3 --version 2>&1) | sha256sum | cut -d' ' -f1)"
    [[ -f $stamp ]] && have="$(cat "$stamp")"
    if [[ -x $py && $want == "$have" ]]; then
        printf '%s\n' "$py"
        return 0
    fi
    (
        # Serialise concurrent callers (e.g. runserver and test started together).
        flock 9
        have=""
        [[ -f $stamp ]] && have="$(cat "$stamp")"
        if [[ -x $py && $want == "$have" ]]; then
            exit 0
        fi
        if [[ ! -x $py ]]; then
            log "creating virtualenv $dir"
            if ! python3 -m venv "$dir" >&2; then
                rm -rf "$dir"
                apt_install python3-venv
                python3 -m venv "$dir" >&2 || die "python3 -m venv failed"
            fi
        fi
        log "installing ${req#"$ROOT/"} into ${dir#"$ROOT/"} (first run takes a minute)"
        "$py" -m pip install -q --disable-pip-version-check --upgrade pip >&2 || true
        "$py" -m pip install -q --disable-pip-version-check -r "$req" >&2 \
            || die "pip install -r ${req#"$ROOT/"} failed"
        printf '%s\n' "$want" >"$stamp"
    ) 9>"$STATE_DIR/venv.lock" || exit 1
    printf '%s\n' "$py"
}
