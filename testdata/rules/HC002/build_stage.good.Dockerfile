# An SSH server in a stage that is not shipped (a test harness) is not in the image.
FROM debian:bookworm-slim AS sshtest
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \
    && mkdir /var/run/sshd
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]

FROM debian:bookworm-slim
COPY --from=sshtest /etc/os-release /tmp/os-release
CMD ["cat", "/tmp/os-release"]
