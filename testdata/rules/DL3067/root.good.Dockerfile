FROM debian:12 AS build
RUN make
FROM scratch AS export
COPY --from=build /out /
FROM debian:12-slim
COPY --from=build /out /opt/app
COPY --from=export / /
COPY --from=build / /rootfs/
