FROM golang:1.23 AS build
RUN go build -o /app .

# expect
FROM debian:12-slim
COPY --from=build /app /usr/local/bin/app
CMD ["app"]
