# A toolchain image as the final base: the fix is a multi-stage build, shown, never applied.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app ./cmd/app
CMD ["app"]
