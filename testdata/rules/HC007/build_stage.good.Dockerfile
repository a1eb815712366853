# A kernel image fetched in a stage that is not shipped, to extract its modules' list.
FROM debian:bookworm-slim AS kernel
RUN apt-get update && apt-get install -y --no-install-recommends linux-image-amd64 \
    && ls /lib/modules > /modules.txt

FROM debian:bookworm-slim
COPY --from=kernel /modules.txt /etc/modules.txt
CMD ["cat", "/etc/modules.txt"]
