FROM centos:7
RUN yum -y install chef && yum clean all
COPY client.rb /etc/chef/client.rb
CMD chef-client --once && exec /usr/sbin/httpd -DFOREGROUND
