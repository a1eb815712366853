FROM alpine:3.20 AS build
RUN true

FROM build AS final
RUN true
