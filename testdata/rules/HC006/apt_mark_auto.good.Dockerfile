# The docker-library idiom: remember the manual packages, install build deps, build, mark
# everything auto again and purge what nothing needs.
FROM debian:bookworm-slim
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends gcc libc6-dev make wget; \
	wget -O gosu.tar.gz https://example.com/gosu.tar.gz; \
	make -C /usr/src/gosu; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
	rm -rf /var/lib/apt/lists/*
CMD ["gosu", "nobody", "true"]
