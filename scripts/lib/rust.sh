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
hds_bin() {
    printf '%s/debug/hds' "$CARGO_TARGET_DIR"
}

build_hds() {
    log "building hds (debug) into $CARGO_TARGET_DIR"
    (cd "$ROOT" && cargo build --locked -p hds --bin hds)
}
