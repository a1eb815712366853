FROM opensuse/leap:15.6
RUN zypper -n refresh && zypper -n install curl=8.0.1 && zypper clean
