FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates gcc libc6-dev make autoconf automake && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src
# The sources, fetched with git: what the image builds, not setup of git.
RUN git clone -b v1.2 --depth 1 https://github.com/example/greeter.git
WORKDIR /usr/src/greeter
RUN git submodule update --init
RUN ./autogen.sh && ./configure --prefix=/usr/local && make && make install
CMD ["greeter"]
