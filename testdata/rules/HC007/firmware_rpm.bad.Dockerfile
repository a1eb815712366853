FROM centos:7
RUN yum -y install kernel linux-firmware dracut && yum clean all
CMD ["/usr/sbin/httpd", "-DFOREGROUND"]
