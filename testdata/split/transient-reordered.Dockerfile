# A build whose outputs cannot be known (no WORKDIR) runs in production with its
# development packages installed for that RUN alone. The git configuration moves to dev
# with git, after the build; the sqlite3 install moves to the runtime layer, before it.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends procps gcc make libc6-dev libsqlite3-dev git
RUN git config --global user.name docker 2>/dev/null
COPY hello.c Makefile ./
RUN make && make install
RUN apt-get install -y --no-install-recommends sqlite3
CMD ["/usr/local/bin/hello"]
