FROM scratch
MAINTAINER Jane Doe <jane@example.com>
USER app group extra
WORKDIR /a b
STOPSIGNAL SIGTERM
USER
