FROM opensuse/leap:15.6
ARG PKGS="curl vim=9.1"
RUN zypper -n install $PKGS && zypper clean
