# Module utilities for a privileged container that loads a module on the host: kmod is not a
# kernel, boot loader, firmware or initramfs tool (HC007 leaves it alone).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends kmod wireguard-tools \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["sh", "-c", "modprobe wireguard && exec wg-quick up wg0"]
