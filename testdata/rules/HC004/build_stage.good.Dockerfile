# cron installed in a stage that is not shipped (to lint the crontab).
FROM debian:bookworm-slim AS check
RUN apt-get update && apt-get install -y --no-install-recommends cron
COPY crontab /tmp/crontab
RUN crontab -T /tmp/crontab || true

FROM debian:bookworm-slim
COPY app /usr/local/bin/app
CMD ["app"]
