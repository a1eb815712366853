FROM debian:12 AS build
COPY app.tar.gz /tmp/
RUN sha256sum /tmp/app.tar.gz
FROM debian:12
COPY --from=build /tmp/app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz
ADD data.tar.xz /data/
