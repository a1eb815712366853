FROM centos:7
RUN yum -y install cronie httpd && yum clean all
CMD /usr/sbin/crond && exec httpd -DFOREGROUND
