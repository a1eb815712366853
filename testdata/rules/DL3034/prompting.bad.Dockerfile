FROM opensuse/leap:15.6
RUN zypper install curl=8.0.1 && zypper clean
RUN zypper rm vim
