FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10
RUN apt-get update \
 && apt-get install -y --no-install-recommends git=1:2.39.2-1 \
 && apt-get clean
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y make=4.3-4.1
RUN apt-get update && apt-get install -y ed=1.19-1 && rm -f /var/lib/apt/lists/lock
ONBUILD RUN apt-get update && apt-get install -y make
