FROM --platform=linux/amd64 debian:12
RUN true
