FROM centos:7
ENV container=docker
RUN yum -y update && yum clean all
RUN yum -y install systemd httpd gcc make gdb && yum clean all
RUN systemctl enable httpd.service
COPY index.html /var/www/html/
EXPOSE 80
STOPSIGNAL SIGRTMIN+3
CMD ["/usr/sbin/init"]
