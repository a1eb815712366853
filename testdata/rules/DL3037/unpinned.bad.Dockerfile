FROM opensuse/leap:15.6
RUN zypper -n install curl wget=1.21 && zypper clean
