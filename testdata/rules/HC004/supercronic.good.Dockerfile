# supercronic: the container-friendly job runner (foreground, logs to stdout, keeps the env).
FROM debian:bookworm-slim
ARG SUPERCRONIC_URL=https://github.com/aptible/supercronic/releases/download/v0.2.33/supercronic-linux-amd64
ADD ${SUPERCRONIC_URL} /usr/local/bin/supercronic
RUN chmod +x /usr/local/bin/supercronic
COPY crontab /app/crontab
CMD ["supercronic", "/app/crontab"]
