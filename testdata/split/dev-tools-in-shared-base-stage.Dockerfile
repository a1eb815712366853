# The shipped stage and a build stage are both built on a stage that installs git: the build
# stage keeps it as it is; the shipped stage is read as a copy of it followed by its own
# steps, so git leaves production for dev.
FROM debian:bookworm AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends lighttpd git \
 && rm -rf /var/lib/apt/lists/*
ENV SITE=/var/www/html

FROM base AS build
RUN git --version > /built.txt

FROM base
COPY --from=build /built.txt /var/www/html/index.html
RUN echo "site in $SITE" >> /var/www/html/index.html
EXPOSE 80
CMD ["lighttpd", "-D", "-f", "/etc/lighttpd/lighttpd.conf"]
