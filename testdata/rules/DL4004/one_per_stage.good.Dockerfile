FROM debian:12 AS base
ENTRYPOINT ["/docker-entrypoint.sh"]
FROM base
ENTRYPOINT ["tini", "--"]
CMD ["run"]
