FROM fedora:40
RUN dnf install -y httpd-2.4.59 && dnf clean all
RUN microdnf --assumeyes install nginx-1.24.0 && microdnf clean all
RUN dnf makecache
RUN dnf install --nodocs -y gcc-14.1.1 && dnf clean all
RUN apk add --no-cache $PKGS
