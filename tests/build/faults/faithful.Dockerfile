# A faithful layered rewrite: same steps in the same order, sshd and vim in dev only.
FROM debian:bookworm AS os
ENV APP_HOME=/opt/app

FROM os AS runtime
RUN apt-get update && apt-get install -y supervisor cron logrotate

FROM runtime AS app
RUN mkdir -p $APP_HOME /run/sshd && echo 'app' > $APP_HOME/name
RUN useradd --system svc && chown -R svc $APP_HOME
RUN printf '[program:sshd]\ncommand=/usr/sbin/sshd -D\n\n[program:cron]\ncommand=/usr/sbin/cron -f\n' > /etc/supervisor/conf.d/app.conf
CMD ["/usr/bin/supervisord", "-n"]

FROM app AS dev
RUN apt-get update && apt-get install -y openssh-server vim
EXPOSE 22

FROM app AS prod
