# syntax=docker/dockerfile:1
# Private sources fetched with BuildKit's SSH forwarding in a build stage: no server anywhere.
FROM alpine:3.20 AS fetch
RUN apk add --no-cache git openssh-client
RUN --mount=type=ssh git clone git@github.com:example/private.git /src

FROM alpine:3.20
COPY --from=fetch /src/app /usr/local/bin/app
CMD ["app"]
