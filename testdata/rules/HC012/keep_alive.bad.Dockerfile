# One service, detached, and a keep-alive as the main process: nobody watches the service.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*
CMD nginx && tail -f /dev/null
