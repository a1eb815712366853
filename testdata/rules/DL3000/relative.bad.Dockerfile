FROM debian:12
WORKDIR app
WORKDIR "src/main"
