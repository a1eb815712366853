# The toolchain comes with the base image: HC001 reports the base (and suggests the
# multi-stage build); HC011 does not report it twice.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
