# Started as a service next to the application; host keys generated at build time.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ssh \
    && ssh-keygen -A \
    && rm -rf /var/lib/apt/lists/*
COPY sshd_config /etc/ssh/
COPY app /usr/local/bin/app
CMD service ssh start && exec app
