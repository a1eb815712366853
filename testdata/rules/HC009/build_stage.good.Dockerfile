# An upgrade in a stage that is not shipped does not reach the image.
FROM debian:bookworm AS build
RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends gcc libc6-dev
COPY . /src
RUN gcc -static -o /app /src/main.c

FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
