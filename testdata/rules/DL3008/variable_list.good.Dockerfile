FROM debian:12
ARG EXTRA
RUN fetchDeps='wget=1.21.3-1+b2'; \
	apt-get update; \
	apt-get install -y --no-install-recommends $fetchDeps $EXTRA "$(cat /tmp/list)"
