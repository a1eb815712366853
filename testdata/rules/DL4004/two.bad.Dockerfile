FROM debian:12
ENTRYPOINT ["/docker-entrypoint.sh"]
ENTRYPOINT ["tini", "--"]
