FROM ubuntu:22.04
RUN sh -c 'apt-get update && apt-get install -y openssh-server'
RUN bash -ec "apt-get install -y gdb strace"
RUN sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends supervisor
RUN ["/bin/sh", "-c", "apt-get install -y git"]
RUN ["apt-get", "install", "-y", "make"]
RUN if [ "$(uname -m)" = x86_64 ]; then apt-get install -y gcc; else echo skip; fi
