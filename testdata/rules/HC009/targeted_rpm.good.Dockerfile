# `yum update NAME` updates that package only.
FROM centos:7
RUN yum -y update openssl && yum clean all
CMD ["bash"]
