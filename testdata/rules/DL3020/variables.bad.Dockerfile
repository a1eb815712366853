FROM debian:12-slim
ENV APP_JAR=target/app.jar
ARG CONFIG=config/app.yaml
ARG URL=https://example.com/tool.tar.gz
# An ENV written out: safe.
ADD $APP_JAR /opt/app.jar
# An ARG: a build argument could make it a URL, unsafe.
ADD ${CONFIG} /etc/app.yaml
# A URL value stays ADD; an unknown variable is not judged.
ADD $URL /opt/
ADD $UNKNOWN /opt/
