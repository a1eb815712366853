FROM fedora:40
RUN dnf install -y httpd nginx-1.24.0 python3-pip && dnf clean all
