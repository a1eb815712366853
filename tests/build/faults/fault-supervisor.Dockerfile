# Fault 2: the RUN writing the supervisord program list (it names sshd) moved whole to dev.
FROM debian:bookworm AS os
ENV APP_HOME=/opt/app

FROM os AS runtime
RUN apt-get update && apt-get install -y supervisor cron logrotate

FROM runtime AS app
RUN mkdir -p $APP_HOME /run/sshd && echo 'app' > $APP_HOME/name
RUN useradd --system svc && chown -R svc $APP_HOME
CMD ["/usr/bin/supervisord", "-n"]

FROM app AS dev
RUN apt-get update && apt-get install -y openssh-server vim
RUN printf '[program:sshd]\ncommand=/usr/sbin/sshd -D\n\n[program:cron]\ncommand=/usr/sbin/cron -f\n' > /etc/supervisor/conf.d/app.conf
EXPOSE 22

FROM app AS prod
