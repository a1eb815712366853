FROM debian:12
RUN curl -fsSL -o /tmp/a.tgz https://example.com/a.tgz
RUN curl -H "X-Key: k" -o /tmp/b https://example.com/b
RUN wget -q https://example.com/b.tgz
RUN npm config set strict-ssl true
RUN git config --global http.sslVerify true
RUN echo "sslverify=1" >> /etc/yum.conf
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1
ENV GIT_SSL_NO_VERIFY=false
RUN echo insecure > /tmp/insecure.txt
