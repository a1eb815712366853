# Built on an in-file stage, whose working directory the catalog cannot know. `git config
# --global` writes the user's configuration wherever it runs, so it follows git to dev after
# the WORKDIR; `useradd`, `usermod` and `chown` take names and absolute paths.
FROM debian:bookworm AS base
RUN echo base > /etc/base-marker

FROM base
ENV APP_HOME=/srv/app
RUN apt-get update \
 && apt-get install -y --no-install-recommends git lighttpd \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --shell /bin/bash app \
 && usermod -aG users app \
 && mkdir -p "$APP_HOME" \
 && chown -R app:app "$APP_HOME"
RUN git config --global user.name "Builder" \
 && git config --global user.email builder@example.com
WORKDIR /var/www/html
RUN echo ok > index.html
CMD ["lighttpd", "-D", "-f", "/etc/lighttpd/lighttpd.conf"]
