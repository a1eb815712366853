FROM centos:7
RUN yum install -y httpd java-1.8.0-openjdk mod_ssl-2.4.6-97.el7 && yum clean all
