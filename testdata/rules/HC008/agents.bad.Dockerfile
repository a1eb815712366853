# A log shipper and a syslog daemon baked in next to the application.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends rsyslog logrotate \
    && rm -rf /var/lib/apt/lists/*
COPY elastic.list /etc/apt/sources.list.d/elastic.list
RUN apt-get update && apt-get install -y --no-install-recommends filebeat \
    && rm -rf /var/lib/apt/lists/*
COPY app /usr/local/bin/app
CMD ["app"]
