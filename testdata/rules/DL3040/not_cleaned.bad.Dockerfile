FROM fedora:40
RUN dnf install -y httpd-2.4.59
RUN microdnf clean all && microdnf install -y nginx-1.24.0
RUN dnf upgrade -y
