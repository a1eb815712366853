# supervisord starts sshd and nginx from one configuration written by printf: production
# writes it without the sshd program, dev as written.
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y supervisor nginx openssh-server
RUN mkdir -p /var/run/sshd /var/log/supervisor \
 && printf '[supervisord]\nnodaemon=true\n\n[program:sshd]\ncommand=/usr/sbin/sshd -D\n\n[program:nginx]\ncommand=/usr/sbin/nginx -g "daemon off;"\n' > /etc/supervisor/conf.d/all.conf
EXPOSE 22 80
CMD ["/usr/bin/supervisord"]
