FROM opensuse/leap:15.6
RUN zypper -n install curl=8.0.1 && zypper clean -a
RUN zypper -n in wget=1.21 && zypper cc
RUN zypper -n in git=2.43 && rm -rf /var/cache/zypp
RUN zypper -n refresh
