# An exec-form RUN that only upgrades goes whole.
FROM debian:bookworm-slim
RUN ["apt-get", "upgrade", "-y"]
CMD ["bash"]
