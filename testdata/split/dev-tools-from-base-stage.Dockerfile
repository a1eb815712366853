# The shipped stage is built on an in-file stage that installs compilers: the split rewrites
# only the shipped stage, so it refuses and says where the compilers come from.
FROM debian:12-slim AS devtools
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
 && rm -rf /var/lib/apt/lists/*

FROM devtools
RUN apt-get update && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/*
CMD ["nginx", "-g", "daemon off;"]
