FROM centos:7
MAINTAINER ops@example.com
RUN yum -y update && yum -y install openssh-server supervisor cronie vim gcc make puppet filebeat kernel \
    && yum clean all
RUN mkdir /var/run/sshd && echo 'root:root' | chpasswd
COPY supervisord.conf /etc/supervisord.conf
COPY app/ /opt/app/
EXPOSE 22 80
CMD ["/usr/bin/supervisord", "-n"]
