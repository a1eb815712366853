FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends cron \
    && rm -rf /var/lib/apt/lists/*
COPY backup.cron /etc/cron.d/backup
CMD ["cron", "-f"]
