FROM debian:12 AS base
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
FROM base
CMD ["true"]
