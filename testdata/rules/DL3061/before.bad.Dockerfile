ARG VERSION=12
LABEL maintainer=me
FROM debian:${VERSION}
