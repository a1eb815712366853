# The toolchain is installed, used and shipped: there is no builder stage.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN make -C /src && make -C /src install
CMD ["app"]
