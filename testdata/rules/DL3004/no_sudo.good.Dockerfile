FROM debian:12
USER root
RUN apt-get install -y sudo=1 && echo sudo
