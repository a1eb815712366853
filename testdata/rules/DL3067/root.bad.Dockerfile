FROM debian:12 AS build
RUN make
FROM debian:12-slim
COPY --from=build / /
