FROM debian:12
LABEL maintainer="me" org.opencontainers.image.title=x
LABEL com.example.vendor/name=a version2=1 build_id=7
