# shellcheck shell=bash
# Rust toolchain helpers, sourced after common.sh.

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        [[ -x "$HOME/.cargo/bin/cargo" ]] && export PATH="$HOME/.cargo/bin:$PATH"
    fi
    command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (toolchain in rust-toolchain.toml)"
    # libpq is not needed (diesel-async speaks the protocol itself); gcc builds the few C bits.
    command -v cc >/dev/null 2>&1 || as_root_apt_install build-essential
}

# hds_bin: path of the debug binary (built by build_hds).
# HDS_PREBUILT_BIN names a binary to use instead (front-end work while the Rust tree is mid-change).
hds_bin() {
    printf '%s' "${HDS_PREBUILT_BIN:-$CARGO_TARGET_DIR/debug/hds}"
}

build_hds() {
    if [[ -n ${HDS_PREBUILT_BIN:-} ]]; then
        log "using prebuilt $HDS_PREBUILT_BIN"
        return
    fi
    log "building hds (debug) into $CARGO_TARGET_DIR"
    (cd "$ROOT" && cargo build --locked -p hds --bin hds)
}
