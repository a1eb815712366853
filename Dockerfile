# dlayer in a container image:
#   docker build -t dlayer .
#   docker run --rm -v "$PWD:/work" dlayer                  # lints the mounted directory
#   docker run --rm -v "$PWD:/work" dlayer fix --diff
# The build stage needs no image but debian:bookworm: Rust comes from Debian's own packages
# (rustc-web and cargo-web). The binary is linked statically, so the
# image is `scratch` with the binary alone, run as an unprivileged user. Crates come from
# crates.io, or from `vendor/` when the build context has it (see below).

FROM debian:bookworm AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Rust 1.96 (rustc-web, cargo-web) is in bookworm-security; a minimal bookworm root made with
# debootstrap lacks that suite, so it is added when missing.
RUN if ! grep -rqs bookworm-security /etc/apt/sources.list /etc/apt/sources.list.d; then \
        echo "deb http://deb.debian.org/debian-security bookworm-security main" \
            > /etc/apt/sources.list.d/bookworm-security.list; \
    fi \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates=20230311* \
        cargo-web=1.96.* \
        rustc-web=1.96.* \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The sources (.dockerignore lets nothing else in), and vendored crates with the
# .cargo/config.toml that points cargo at them when the context has them (an offline build:
# scripts/docker_image.sh makes such a context with `cargo vendor`).
COPY . .
# Release-profile overrides (e.g. CARGO_PROFILE_RELEASE_LTO=false for a quicker CI build).
ARG CARGO_PROFILE_RELEASE_LTO
ARG CARGO_PROFILE_RELEASE_CODEGEN_UNITS
RUN triple="$(rustc -vV | sed -n 's/^host: //p')" \
    && RUSTFLAGS="-C target-feature=+crt-static" \
        cargo build --release --locked --target "$triple" \
    && install -m 0755 "target/$triple/release/dlayer" /usr/local/bin/dlayer \
    && /usr/local/bin/dlayer --version

FROM scratch
COPY --from=build /usr/local/bin/dlayer /usr/local/bin/dlayer
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/dlayer"]
CMD ["lint"]
