FROM centos:7
RUN yum -y install epel-release
RUN yum -y install nginx
RUN yum -y install $EXTRA_PACKAGES
CMD ["nginx", "-g", "daemon off;"]
