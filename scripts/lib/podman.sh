# shellcheck shell=bash
# Container tooling for scripts/image and scripts/check-image, sourced after common.sh.
#
# These machines reach no registry of base images (docker.io, quay.io) and run no Docker engine,
# so images are built and run with Debian's podman, and the Debian base comes from the package
# archive through mmdebstrap. Two settings make podman work here, kept in a containers.conf of
# our own (CONTAINERS_CONF, .local/containers.conf) rather than in /etc:
#   - runtime runc: crun fails on these machines;
#   - default ulimits no higher than this shell's: without CAP_SYS_RESOURCE a container cannot
#     raise a limit, and podman's defaults (nofile 1048576, nproc 4194304) would.

# The Debian release of the images: the host's, so that the toolchains mounted from the host
# (rustup's Rust, the host's Node) find the same glibc.
HDS_DEBIAN_RELEASE="${HDS_DEBIAN_RELEASE:-$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}")}"
HDS_DEBIAN_RELEASE="${HDS_DEBIAN_RELEASE:-bookworm}"
HDS_DEBIAN_MIRROR="${HDS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
HDS_BASE_IMAGE="localhost/hds-base:$HDS_DEBIAN_RELEASE"

# podman_ensure: podman (with runc) and mmdebstrap installed; CONTAINERS_CONF exported.
podman_ensure() {
    local missing=() tool
    for tool in podman runc mmdebstrap; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if ((${#missing[@]})); then
        apt_install "${missing[@]}"
    fi
    mkdir -p "$STATE_DIR"
    local conf="$STATE_DIR/containers.conf" nofile nproc want
    nofile="$(ulimit -Hn)"
    nproc="$(ulimit -Hu)"
    [[ $nofile == unlimited || $nofile -gt 65535 ]] && nofile=65535
    # conmon, which starts the container, runs with at most 32768 processes here.
    [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
    want="$(
        cat <<EOF
# Written by scripts/lib/podman.sh (podman_ensure); see the comment there.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
EOF
    )"
    if [[ ! -f $conf || "$(cat "$conf")" != "$want" ]]; then
        printf '%s\n' "$want" >"$conf"
    fi
    export CONTAINERS_CONF="$conf"
}

# The recipe of the base image; a change of it rebuilds the image (its label hds.base.recipe).
_base_recipe() {
    # Like Debian's slim images: no documentation, manual pages or translations, and no
    # recommended packages.
    local opts=(
        --variant=minbase
        # /usr merged by mmdebstrap's hook rather than by the usrmerge package (and its Perl).
        --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
        --aptopt='APT::Install-Recommends "false"'
        --dpkgopt='path-exclude=/usr/share/doc/*'
        --dpkgopt='path-include=/usr/share/doc/*/copyright'
        --dpkgopt='path-exclude=/usr/share/man/*'
        --dpkgopt='path-exclude=/usr/share/info/*'
        --dpkgopt='path-exclude=/usr/share/locale/*'
        --dpkgopt='path-include=/usr/share/locale/locale.alias'
        --dpkgopt='path-exclude=/usr/share/lintian/*'
        "$HDS_DEBIAN_RELEASE" -
        "deb $HDS_DEBIAN_MIRROR $HDS_DEBIAN_RELEASE main"
        "deb $HDS_DEBIAN_MIRROR $HDS_DEBIAN_RELEASE-updates main"
        "deb ${HDS_DEBIAN_MIRROR%/debian}/debian-security $HDS_DEBIAN_RELEASE-security main"
    )
    printf '%s\n' "${opts[@]}"
}

# base_image_ensure: localhost/hds-base:<release>, a minimal Debian built by mmdebstrap from the
# package archive (the stand-in for debian:<release>-slim), unless it exists with this recipe.
base_image_ensure() {
    local recipe sha have t0=$SECONDS
    mapfile -t recipe < <(_base_recipe)
    sha="$(printf '%s\n' "${recipe[@]}" | sha256sum | cut -c1-16)"
    have="$(podman image inspect --format '{{index .Labels "hds.base.recipe"}}' "$HDS_BASE_IMAGE" 2>/dev/null || true)"
    if [[ $have == "$sha" ]]; then
        return 0
    fi
    log "building $HDS_BASE_IMAGE with mmdebstrap from $HDS_DEBIAN_MIRROR (once; about a minute)"
    mkdir -p "$STATE_DIR/logs"
    mmdebstrap "${recipe[@]}" 2>"$STATE_DIR/logs/mmdebstrap.log" \
        | podman import --change 'CMD ["/bin/bash"]' --change "LABEL hds.base.recipe=$sha" \
            - "$HDS_BASE_IMAGE" >/dev/null \
        || {
            tail -n 20 "$STATE_DIR/logs/mmdebstrap.log" >&2
            die "building $HDS_BASE_IMAGE failed; see .local/logs/mmdebstrap.log"
        }
    log "built $HDS_BASE_IMAGE in $((SECONDS - t0)) s"
}
