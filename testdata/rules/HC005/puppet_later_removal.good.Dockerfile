# Installed in one RUN, applied at build time by the next, removed by a later RUN.
FROM centos:7
RUN yum -y install puppet && yum clean all
COPY manifests/ /tmp/manifests/
RUN puppet apply /tmp/manifests/site.pp
RUN yum -y remove puppet && yum clean all && rm -rf /tmp/manifests
CMD ["/usr/sbin/httpd", "-DFOREGROUND"]
