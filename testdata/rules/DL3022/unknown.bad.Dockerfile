FROM golang:1.22 AS build
RUN go build -o /app .

FROM alpine:3.20
COPY --from=biuld /app /app
COPY --from=5 /x /x
