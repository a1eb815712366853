FROM debian:12
# expect
RUN curl -fsSLk https://example.com/a.tgz -o /tmp/a.tgz
# expect
RUN wget --no-check-certificate https://example.com/b.tgz
# expect
RUN pip install --trusted-host pypi.example.com requests
# expect
RUN npm config set strict-ssl false && npm ci
# expect
RUN git config --global http.sslVerify false
# expect
RUN echo "sslverify=0" >> /etc/yum.conf
# expect
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
# expect
ENV PYTHONHTTPSVERIFY 0
# expect
RUN GIT_SSL_NO_VERIFY=1 git clone https://example.com/repo.git
# expect
ARG PIP_TRUSTED_HOST=pypi.example.com
