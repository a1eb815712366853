FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get full-upgrade -y
RUN set -eux; apt-get update; apt-get upgrade -y; apt-get install -y curl
RUN apt-get update && apt-get upgrade -y; apt-get clean
