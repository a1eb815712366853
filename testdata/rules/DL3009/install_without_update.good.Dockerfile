# A RUN that installs without updating downloads no lists (the earlier update did, and is
# reported there).
FROM debian:12
RUN apt-get update && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y --no-install-recommends curl=7.88.1-10
