# supervisord runs nginx and php-fpm side by side.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx php-fpm supervisor \
    && rm -rf /var/lib/apt/lists/*
COPY supervisord.conf /etc/supervisor/conf.d/app.conf
EXPOSE 80
CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]
