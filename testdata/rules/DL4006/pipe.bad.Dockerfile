FROM debian:12
RUN curl -fsSL https://example.com/install.sh | bash
RUN echo a && wget -qO- https://example.com/x.tgz \
    | tar xz -C /opt && echo done | tee /log
SHELL ["/bin/bash", "-c"]
RUN cat /etc/os-release | grep ID
FROM alpine:3.20
RUN apk add curl=8 && curl -fsSL https://example.com | sh
