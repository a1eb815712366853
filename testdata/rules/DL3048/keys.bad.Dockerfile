FROM debian:12
LABEL Maintainer="me" com.docker.thing=x
LABEL org.example..name=a version-=1 "my label"=b
