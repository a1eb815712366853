FROM debian:12
RUN curl -fsSL -o /tmp/setup.sh https://deb.nodesource.com/setup_22.x \
 && echo "0000000000000000000000000000000000000000000000000000000000000000  /tmp/setup.sh" | sha256sum -c - \
 && bash /tmp/setup.sh
RUN curl -fsSL https://example.com/a.tar.gz | tar -xz -C /opt
RUN echo hello | sh
RUN curl -fsSL https://example.com/keys.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
