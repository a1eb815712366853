# A production step that runs commands through sudo as a non-root user: sudo leaves production
# for dev, so the step builds in the build stage (with sudo and its configuration) and
# production copies what it made, owned by root as sudo made it.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends sudo procps
RUN useradd --create-home app && echo 'app ALL=(ALL) NOPASSWD:SETENV: ALL' > /etc/sudoers.d/app && chmod 0440 /etc/sudoers.d/app
USER app
ENV DATA_DIR=/srv/data
RUN sudo -E mkdir -p $DATA_DIR && sudo sh -c 'echo ready > /srv/data/state'
CMD ["sleep", "infinity"]
