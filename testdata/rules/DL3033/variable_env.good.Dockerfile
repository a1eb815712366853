FROM centos:7
ARG EXTRA
ENV INSTALL_PKGS "httpd-2.4.6"
RUN yum -y install ${INSTALL_PKGS} $EXTRA && yum clean all
