# Safe fixes on a Debian build: HC013 moves the refresh into the install, DL3027 turns apt into
# apt-get, DL3020 turns ADD of local files (one through an ENV) into COPY, DL3059 merges the echo
# RUNs, DL3009 removes the lists only where nothing later installs (the last RUN).
FROM debian:bookworm AS base
ENV APP_FILE=app.txt
RUN apt-get update
# jq, for the scripts
RUN apt-get install -y --no-install-recommends jq
RUN apt install -y --no-install-recommends tree
ADD app.txt /opt/app.txt
ADD $APP_FILE /opt/copy.txt
RUN echo one
RUN echo two > /opt/two.txt

FROM base
RUN apt-get install -y --no-install-recommends less
