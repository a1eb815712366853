FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends nginx
# Packages built in this very build, served from a local directory.
RUN echo "deb [ trusted=yes ] file:///tmp/debs ./" > /etc/apt/sources.list.d/local.list
FROM rockylinux:9
RUN dnf install -y httpd && echo "gpgcheck=1" >> /etc/dnf/dnf.conf
FROM alpine:3.20
RUN apk add --no-cache curl
FROM debian:12
RUN apt-get purge -y --force-yes build-essential
