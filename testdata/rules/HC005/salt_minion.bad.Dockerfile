FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends salt-minion \
    && rm -rf /var/lib/apt/lists/*
CMD ["salt-minion", "-l", "info"]
