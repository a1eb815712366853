FROM golang:1.22 AS build
RUN go build -o /app .

FROM alpine:3.20
COPY --from=build /app /app
COPY --from=BUILD /app /app2
COPY --from=0 /etc/ssl /etc/ssl
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
COPY --from=ghcr.io/org/tool /bin/tool /bin/tool
COPY --from=$IMAGE /x /x
