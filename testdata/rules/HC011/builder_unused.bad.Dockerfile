# A builder stage exists, yet the final stage builds too.
FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/tool ./cmd/tool

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libc6-dev
COPY --from=builder /out/tool /usr/local/bin/tool
COPY native/ /src/native/
RUN make -C /src/native
CMD ["tool"]
