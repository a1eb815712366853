# A RUN made only of development tools that builds: what it makes is production's, so it runs in
# the build stage and production copies its outputs (it is not dev setup).
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc make nginx vim && rm -rf /var/lib/apt/lists/*
COPY src /src
WORKDIR /src
RUN make && make install
# Configuring a development tool is dev setup: it goes to dev with vim.
RUN vim -c 'helptags ALL' -c q
CMD ["nginx", "-g", "daemon off;"]
