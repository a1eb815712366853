# A VM's boot sequence in CMD: two services started, then a keep-alive.
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends mysql-server apache2 \
    && rm -rf /var/lib/apt/lists/*
CMD service mysql start && service apache2 start && tail -f /var/log/apache2/access.log
