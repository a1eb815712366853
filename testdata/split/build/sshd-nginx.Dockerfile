FROM debian:bookworm
ARG APP_VER=1.0
# servers and tools
RUN apt-get update && apt-get install -y openssh-server nginx vim curl

ENV APP_VER=${APP_VER}
ENV APP_HOME=/srv/app
RUN mkdir -p $APP_HOME && echo $APP_VER > $APP_HOME/version && mkdir /var/run/sshd && sed -i 's/#PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config
RUN useradd -m app && chown app $APP_HOME
EXPOSE 22 80
CMD service ssh start && nginx -g 'daemon off;'
# end
