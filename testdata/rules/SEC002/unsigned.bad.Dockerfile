FROM debian:12
# expect
RUN apt-get update && apt-get install -y --allow-unauthenticated nginx
# expect
RUN apt-get install -y --force-yes curl
# expect
RUN echo "deb [trusted=yes] http://mirror.example.com/debian bookworm main" > /etc/apt/sources.list.d/x.list

FROM alpine:3.20
# expect
RUN apk add --allow-untrusted /tmp/pkg.apk

FROM rockylinux:9
# expect
RUN dnf install -y --nogpgcheck httpd
# expect
RUN rpm -i --nosignature /tmp/x.rpm
# expect
RUN yum install -y --setopt=gpgcheck=0 httpd
# expect
RUN zypper --no-gpg-checks install -y vim
