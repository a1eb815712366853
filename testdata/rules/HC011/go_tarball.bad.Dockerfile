# Go installed from a tarball (no package to see): running `go build` shows the toolchain.
FROM debian:bookworm-slim AS app
RUN curl -fsSL https://go.dev/dl/go1.22.5.linux-amd64.tar.gz | tar -C /usr/local -xz
ENV PATH=/usr/local/go/bin:$PATH
COPY . /src
RUN cd /src && go build -o /usr/local/bin/app .
CMD ["app"]
