FROM debian:12
RUN chmod 1777 /tmp/scratch
RUN chmod 755 /usr/local/bin/app
RUN chmod +x /entrypoint.sh
RUN chmod 777 /entrypoint.sh
RUN chmod g+w /srv/shared
RUN chmod a+rwxt /var/tmp/shared
COPY --chmod=755 bin/ /usr/local/bin/
RUN tempDir="$(mktemp -d)" && chmod 777 "$tempDir" && cd "$tempDir" && make && rm -rf "$tempDir"
