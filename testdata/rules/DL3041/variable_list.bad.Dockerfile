FROM fedora:40
RUN set -eux; deps="gcc make-4.4.1"; dnf install -y $deps; dnf clean all
