FROM alpine:3.20
RUN apk add --no-cache dropbear && mkdir -p /etc/dropbear
RUN dropbearkey -t ed25519 -f /etc/dropbear/dropbear_ed25519_host_key
COPY app /usr/local/bin/app
EXPOSE 22/tcp 8080
CMD ["sh", "-c", "dropbear -R -E && exec app"]
