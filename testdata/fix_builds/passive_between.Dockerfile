# HC013 across LABELs, DL3059 across a comment, DL3009 on the last install, DL3003 with a known WORKDIR.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title=demo
RUN apt-get -qq update
LABEL stage=tools
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tree \
 && echo installed
RUN mkdir -p /srv/data
# a comment between
RUN touch /srv/data/file
CMD ["tree", "/srv"]
WORKDIR /srv
# DL3003: WORKDIR there and back instead of cd.
RUN cd /usr/share && ls > /srv/listing.txt
