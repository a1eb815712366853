FROM alpine:3.20
COPY a.txt b.txt /dest/
COPY a.txt /dest
COPY --from=alpine:3.20 /etc/a /etc/b $TARGET
