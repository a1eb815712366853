FROM alpine:3.20 AS base
RUN touch /x

FROM alpine:3.20 AS final
COPY --from=base /x /x
COPY --from=0 /x /y
