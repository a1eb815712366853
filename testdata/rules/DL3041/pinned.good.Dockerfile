FROM fedora:40
RUN dnf install -y httpd-2.4.59 nginx-1:1.24.0-1.fc40 && dnf clean all
RUN dnf module install -y nodejs:20 && dnf clean all
RUN dnf group install -y 'Development Tools' && dnf clean all
