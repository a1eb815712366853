# BuildKit resolves a name defined later, but the stage should come first (as hadolint says).
FROM alpine:3.20
COPY --from=build /app /app
FROM golang:1.22 AS build
RUN go build -o /app .
