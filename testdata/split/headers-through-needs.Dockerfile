# gcc builds /usr/local/bin/hello against libsqlite3, whose headers line 8 installs in a RUN of
# its own: the build needs that install only through line 7's (both use the package lists), so
# the build stage would have pulled it in, linked the binary to libsqlite3-0 and left
# production without it. Production builds it itself with both installs' packages installed
# for that RUN alone, and libsqlite3-0 stays.
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc make && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y libsqlite3-dev && rm -rf /var/lib/apt/lists/*
COPY hello.c /src/hello.c
RUN gcc -o /usr/local/bin/hello /src/hello.c -lsqlite3
CMD ["/usr/local/bin/hello"]
