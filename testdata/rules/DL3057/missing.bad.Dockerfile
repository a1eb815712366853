FROM debian:12 AS base
RUN true
FROM base
CMD ["true"]
