FROM centos:7
ONBUILD RUN yum install -y httpd-2.4.6 \
    mod_ssl-2.4.6
