FROM fedora:40
RUN dnf install httpd-2.4.59 && dnf clean all
RUN microdnf install nginx-1.24.0 && microdnf clean all
