FROM alpine:3.20
ADD https://example.com/tool-1.0.tar.gz /opt/
ADD rootfs.tar.xz /
ADD git@github.com:user/repo.git /src
ADD ["app.tgz", "/srv/"]
COPY app.py /app/
