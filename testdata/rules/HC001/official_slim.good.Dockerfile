# The official postgres/php/python slim idiom: a slim Debian base.
FROM debian:bookworm-slim
RUN set -eux; \
	groupadd -r postgres --gid=999; \
	useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres
ENV LANG en_US.utf8
CMD ["postgres"]
