FROM alpine:3.20
RUN buildDeps=' \
		build-base \
		git=2.45.2-r0 \
	' \
	set -x \
	&& apk --no-cache add $buildDeps \
	&& apk del $buildDeps
