FROM centos:7
RUN yum install -y httpd-2.4.6 java-1.8.0-openjdk-1.8.0.412 && yum clean all
RUN yum install -y /tmp/local.rpm https://example.com/x.rpm @core && yum clean all
RUN yum groupinstall -y 'Development Tools' && yum clean all
