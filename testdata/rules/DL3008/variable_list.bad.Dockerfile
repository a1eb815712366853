FROM debian:12
RUN buildDeps=' \
		ca-certificates \
		git=1:2.39.5-0+deb12u1 \
	' \
	set -x \
	&& apt-get update \
	&& apt-get install -y $buildDeps --no-install-recommends
