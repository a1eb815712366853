FROM debian:12-slim
WORKDIR /app
# The working directory is known: WORKDIR there and back (safe).
RUN cd /usr/src \
 && echo build > out.txt
# Already there: the cd just goes.
RUN cd /app && touch ready

FROM debian:12-slim
# The base image decides the working directory: no way back (unsafe).
RUN cd /opt && touch marker
# $HOME is not a value of the file: no fix. A cd in the middle: the RUN is cut (unsafe).
RUN cd "$HOME" && ls
RUN echo start && cd /tmp && ls

FROM ubuntu:24.04
# A distribution image runs in /, and a later WORKDIR sets what the image keeps: safe.
RUN cd /etc && ls
WORKDIR /srv
