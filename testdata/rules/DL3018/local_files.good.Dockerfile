FROM alpine:3.20
COPY pkgs/ /tmp/pkgs/
RUN apk add --no-cache --allow-untrusted /tmp/pkgs/tool-1.0.apk ./other.apk -X https://repo.example.com/main -t .deps
RUN apk update && apk upgrade
