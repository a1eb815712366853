FROM opensuse/leap:15.6
RUN zypper -n install curl=8.0.1 'git>=2.43' && zypper clean
RUN zypper -n install -t pattern devel_basis && zypper clean
RUN zypper -n install /tmp/local.rpm && zypper clean
