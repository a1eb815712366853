FROM debian:bookworm
RUN apt-get update && apt-get install -y supervisor openssh-server nginx
RUN mkdir -p /var/run/sshd /var/log/supervisor \
 && echo "[supervisord]\nnodaemon=true" > /etc/supervisor/conf.d/all.conf \
 && echo "[program:sshd]\ncommand=/usr/sbin/sshd -D" >> /etc/supervisor/conf.d/all.conf \
 && echo "[program:nginx]\ncommand=nginx -g 'daemon off;'" >> /etc/supervisor/conf.d/all.conf
EXPOSE 22 80
CMD ["/usr/bin/supervisord"]
