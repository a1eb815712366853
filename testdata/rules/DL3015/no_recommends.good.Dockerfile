FROM debian:12
RUN apt-get install -y --no-install-recommends a=1 \
 && apt-get install -y --install-recommends=no b=1 \
 && apt-get install -y -o APT::Install-Recommends=false c=1 \
 && apt-get -o "APT::Install-Recommends=0" install -y d=1 \
 && apt-get update
