# Four install RUNs in one stage: reported once, on the third (the first beyond the limit of 2).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl
RUN apt-get update && apt-get install -y --no-install-recommends nginx
RUN apt-get update && apt-get install -y --no-install-recommends php-fpm php-mysql
RUN apt-get update && apt-get install -y --no-install-recommends vim
CMD ["nginx", "-g", "daemon off;"]
