FROM debian:12
RUN sudo apt-get install -y curl=1
RUN env A=1 /usr/bin/sudo -u app make && sudo -l
ONBUILD RUN sudo make install

FROM ubuntu:24.04 AS base
# Root on a distribution image: sudo goes (unsafe).
RUN sudo apt-get update && sudo -E make install
FROM base
USER app
# Another user: no fix.
RUN sudo make install
USER root
RUN sudo make install
