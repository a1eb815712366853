FROM centos:7
ENV INSTALL_PKGS "cockpit-ws httpd-2.4.6"
RUN yum -y install ${INSTALL_PKGS} \
    && yum clean all
