# The HDS container image: the release `hds` binary and the web app on a slim Debian, run as a
# non-root user under tini. docs/deploy.md#the-container-image describes it.
#
#   docker run hds:TAG                        everything (API, worker, forwarders) under supervisord
#   docker run hds:TAG runserver | api        one process per container, as ECS runs it
#   docker run hds:TAG worker
#   docker run hds:TAG forward errorreports   (or forward --queue errorreports, forward --all)
#   docker run hds:TAG migrate                any other hds command (createuser, loaddata, …)
#
# Where it is built. scripts/image builds it with podman on machines that reach no image
# registry: every base image is then localhost/hds-base (a minimal Debian made by mmdebstrap from
# the package archive), and the toolchains are the host's, mounted into the RUN steps with
# `podman build -v`: rustup's Rust at /usr/local/rustup and /usr/local/cargo, Node at
# /usr/local/bin/node and /usr/local/lib/node_modules/npm — the paths the official rust and node
# images use, so the same instructions work with those images on a machine with a registry:
#
#   docker build --build-arg GIT_HASH=$(git rev-parse HEAD) -t hds:TAG .
#
# scripts/image also mounts a directory of the host's cargo target directory at /target
# (CARGO_TARGET_DIR), so a rebuild compiles only what changed; without the mount /target is a
# directory of the build stage.

ARG RUST_IMAGE=docker.io/library/rust:1.95.0-slim-bookworm
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim
ARG RUNTIME_IMAGE=docker.io/library/debian:bookworm-slim

# ------------------------------------------------------------------------------- the web app
FROM ${NODE_IMAGE} AS web
# A CA bundle to trust besides Node's own, for networks that intercept TLS (scripts/image passes
# the host's); unset, nothing changes.
ARG NODE_EXTRA_CA_CERTS
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
# npm through its script, not a `npm` link: the mounted Node has none.
RUN node /usr/local/lib/node_modules/npm/bin/npm-cli.js ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
# What scripts/frontend-build does.
RUN node_modules/.bin/vite build --logLevel warn

# -------------------------------------------------------------------------------- the binary
FROM ${RUST_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# The CA bundle cargo trusts, for networks that intercept TLS (scripts/image passes the host's).
ARG CARGO_HTTP_CAINFO
# The linker and C compiler for the crates with C parts (ring, aws-lc-sys); the rust image has
# them already. Packages are not pinned (DL3008): the release's archive holds one version of
# each, moved only by its security and point updates, which the image should take.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH \
    CARGO_TARGET_DIR=/target
WORKDIR /src
# The commit the binary records for migration logs (hds/build.rs reads GITHASH; the build
# context has no .git to ask).
ARG GIT_HASH=
COPY Cargo.toml Cargo.lock rust-toolchain.toml ./
COPY hds/ hds/
# This step runs only when the sources changed. Touching them first makes cargo rebuild the hds
# crate: a target directory shared with other checkouts (scripts/image mounts the host's) may
# hold another checkout's build, which cargo would take as fresh when these files are older.
# The binary is copied out of /target, which may be a mount that the layer does not keep, without
# its line tables (the release profile keeps them for profiling: 190 of its 245 MB); its symbols
# stay, so a backtrace still names the functions.
RUN find hds -type f -exec touch {} + \
    && GITHASH="${GIT_HASH}" cargo build --release --locked -p hds --bin hds \
    && mkdir -p /out \
    && objcopy --strip-debug "$CARGO_TARGET_DIR/release/hds" /out/hds

# ------------------------------------------------------------------------------- the runtime
FROM ${RUNTIME_IMAGE}
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# tini: PID 1, passes signals on and reaps; supervisord: the all-in-one mode; ca-certificates:
# TLS to AWS and Slack (the binary uses the system's roots); ffmpeg: the worker converts
# log-session videos to MP4 with it (docs/api-design.md#log-sessions). Not pinned, as above.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates ffmpeg supervisor tini \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
    && useradd --uid 10001 --user-group --home-dir /opt/hds --no-create-home \
        --shell /usr/sbin/nologin hds

COPY --from=build /out/hds /opt/hds/bin/hds
COPY --from=web /src/frontend/dist /opt/hds/frontend/dist
COPY supervisor/supervisord.conf /opt/hds/supervisord.conf
COPY container/entrypoint /opt/hds/bin/hds-entrypoint

# Container defaults; DATABASE_URL, REDIS_URL, the queue URLs and the secrets come from the
# environment the container is started with (docs/deploy.md#configuration-reference).
ENV HDS_BIND=0.0.0.0 \
    HDS_PORT=8085 \
    HDS_FRONTEND_DIR=/opt/hds/frontend/dist

USER 10001:10001
WORKDIR /opt/hds
EXPOSE 8085
# The API's health check (GET /api/v1/healthcheck/, which answers 503 without PostgreSQL) in the
# API and all-in-one modes; a forwarder's metrics port, or the worker being alive, otherwise.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/opt/hds/bin/hds-entrypoint", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/hds/bin/hds-entrypoint"]
CMD ["all"]

ARG GIT_HASH=unknown
ARG VERSION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="hds" \
      org.opencontainers.image.description="Harvester Data Store: API, worker and SQS forwarders" \
      org.opencontainers.image.revision="${GIT_HASH}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}"
