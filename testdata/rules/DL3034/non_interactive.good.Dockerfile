FROM opensuse/leap:15.6
RUN zypper -n install curl=8.0.1 && zypper clean
RUN zypper --non-interactive rm vim
RUN zypper install -y wget=1.21 && zypper clean
RUN zypper refresh
