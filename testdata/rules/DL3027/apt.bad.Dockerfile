FROM debian:12
RUN apt update && apt install -y curl \
    && apt search foo && apt list --installed && apt full-upgrade -y
