# php-fpm detaches (-D), nginx stays in the foreground: two services.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx php-fpm \
    && rm -rf /var/lib/apt/lists/*
CMD ["sh", "-c", "php-fpm8.2 -D && nginx -g 'daemon off;'"]
