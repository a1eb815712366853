FROM fedora:40
RUN dnf install -y httpd-2.4.59 && dnf clean all
RUN microdnf install -y nginx-1.24.0 && microdnf clean all
RUN dnf install -y gcc-14.1.1 && rm -rf /var/cache/dnf
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y make-4.4.1
