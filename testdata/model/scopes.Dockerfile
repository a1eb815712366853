ARG VERSION=1.0
FROM alpine:3.20 AS base
ARG VERSION
ARG USER_NAME=app
ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH
ENV LEGACY some value
WORKDIR $APP_HOME
WORKDIR data
USER ${USER_NAME}
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN echo $VERSION
FROM base AS child
RUN echo inherits env and workdir, not args
