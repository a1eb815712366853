# nginx, PHP-FPM and sshd in one container, started by supervisord.
FROM debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx php8.2-fpm supervisor openssh-server \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /run/php /var/run/sshd /var/log/supervisor
RUN printf '[supervisord]\nnodaemon=true\n\n' > /etc/supervisor/conf.d/app.conf \
 && printf '[program:php-fpm]\ncommand=/usr/sbin/php-fpm8.2 -F\npriority=10\n\n' >> /etc/supervisor/conf.d/app.conf \
 && printf '[program:nginx]\ncommand=/usr/sbin/nginx -g "daemon off;"\npriority=20\n\n' >> /etc/supervisor/conf.d/app.conf \
 && printf '[program:sshd]\ncommand=/usr/sbin/sshd -D\n' >> /etc/supervisor/conf.d/app.conf
COPY index.php /var/www/html/index.php
EXPOSE 22 80
CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]
