# A VM image built with docker: kernel, boot loader, initramfs.
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends \
        linux-image-generic \
        grub-pc \
        initramfs-tools \
        systemd-sysv \
    && update-initramfs -u \
    && rm -rf /var/lib/apt/lists/*
CMD ["/sbin/init"]
