FROM golang:1.22 AS build
WORKDIR /src
RUN go build -o /out/app ./cmd/app
FROM build AS test
RUN go test ./...
FROM alpine:3.20 AS assets
RUN apk add --no-cache curl
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
COPY --from=2 /usr/bin/curl /curl
COPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx.conf
RUN --mount=type=bind,from=test,target=/t true
ENTRYPOINT ["/app"]
