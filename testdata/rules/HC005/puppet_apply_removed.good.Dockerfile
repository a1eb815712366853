# Configuration management at build time: apply, then remove the tool in the same RUN.
FROM debian:bookworm-slim
COPY manifests/ /tmp/manifests/
RUN apt-get update && apt-get install -y --no-install-recommends puppet \
    && puppet apply /tmp/manifests/site.pp \
    && apt-get purge -y --auto-remove puppet \
    && rm -rf /var/lib/apt/lists/* /tmp/manifests
CMD ["nginx", "-g", "daemon off;"]
