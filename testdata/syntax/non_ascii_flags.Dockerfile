FROM scratch
RUN --mount=type=cache,target=/café echo
COPY --chown= x a b
HEALTHCHECK CMD true
