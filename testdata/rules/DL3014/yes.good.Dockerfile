FROM debian:12
RUN apt-get install -y a=1 \
 && apt-get install --yes b=1 \
 && apt-get install --assume-yes c=1 \
 && apt-get install -qq d=1 \
 && apt-get -q -q install e=1 \
 && apt-get install -q=2 f=1 \
 && apt-get install --quiet=2 g=1 \
 && apt-get -o APT::Get::Assume-Yes=true install h=1 \
 && apt-get -yq install i=1 \
 && apt-get update && apt-get remove j
