# COPY --from=0 in a fragment: stage numbers count the FROM stages only.
COPY --from=0 /a /a
FROM alpine:3.20 AS base
FROM alpine:3.20
COPY --from=0 /a /a
