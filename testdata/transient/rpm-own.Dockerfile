FROM centos:7
RUN yum install -y nginx git && git clone https://example.com/site.git /srv
CMD ["nginx"]
