# An install whose last package is chosen when it runs, next to packages of other layers.
FROM ubuntu:22.04
RUN apt-get update \
 && apt-get install --no-install-recommends -y nginx vim \
    $(if apt-cache show iproute >/dev/null 2>&1; then echo iproute; else echo iproute2; fi) \
 && rm -rf /var/lib/apt/lists/*
# Every named package of the first install moves: it keeps its command for the computed one.
RUN apt-get update && apt-get install -y -o Dpkg::Use-Pty=0 gdb "linux-tools-$(uname -r)" \
 && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
CMD ["nginx", "-g", "daemon off;"]
