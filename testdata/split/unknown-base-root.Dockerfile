# A base image nobody knows: its user is root because the first RUN, as that user, installs
# packages with apt-get, whose failure would have failed the build.
FROM example.org/team/base:1
RUN apt-get update && apt-get install -y nginx vim && rm -rf /var/lib/apt/lists/*
USER www-data
COPY site /srv/site
USER root
RUN mkdir -p /var/cache/site
CMD ["nginx", "-g", "daemon off;"]
