FROM debian:12
# hadolint ignore=DL3008,DL3015
RUN apt-get install -y curl
#hadolint ignore=DL3003 # we need cd here
RUN cd /tmp && make
# dlayer ignore=HC009
RUN apt-get upgrade -y
