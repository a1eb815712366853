# Apache and MariaDB started as services, kept alive by tail.
FROM debian:bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends apache2 libapache2-mod-php mariadb-server openssh-server vim \
 && rm -rf /var/lib/apt/lists/*
COPY www/ /var/www/html/
VOLUME /var/lib/mysql
EXPOSE 22 80 3306
CMD service ssh start && service mysql start && service apache2 start && tail -f /dev/null
