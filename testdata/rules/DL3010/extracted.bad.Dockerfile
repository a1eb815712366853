FROM debian:12
COPY app.tar.gz /tmp/
COPY vendor/deps.tgz tools.txt /opt/
RUN tar -xzf /tmp/app.tar.gz -C /srv && tar xf /opt/deps.tgz
