# The shipped stage is built on an in-file stage that installs compilers and declares an ARG
# the shipped stage's steps name: one stage would see it where the shipped stage does not, so
# the two cannot be read as one. The split refuses and says where the compilers come from.
FROM debian:12-slim AS devtools
ARG FLAVOUR=light
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
 && rm -rf /var/lib/apt/lists/*

FROM devtools
RUN apt-get update && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/*
RUN echo "${FLAVOUR:-full}" > /etc/nginx/flavour
CMD ["nginx", "-g", "daemon off;"]
