FROM --platform=$BUILDPLATFORM golang:1.22 AS build
RUN --mount=type=cache,target=/root/.cache/go-build --network=none go build ./...
COPY --from=build --chown=app:app --chmod=0755 /out/app /usr/local/bin/app
COPY --chown="a b" --link -- --weird /dst/
COPY --from builder x y
ADD --checksum=sha256:abc 'https://example.com/x.tgz' /x
COPY --chown=\"q\" a b
RUN echo --not-a-flag
COPY --exclude=*.md --exclude='*.txt' . /src
COPY -- --only /y
