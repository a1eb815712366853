FROM ubuntu:14.04.2
RUN apt-get update && apt-get install -y apache2 php5
COPY app /var/www/html
CMD ["/usr/sbin/apache2ctl", "-D", "FOREGROUND"]
