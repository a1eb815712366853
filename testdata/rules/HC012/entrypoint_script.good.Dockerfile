# The official idiom: an entrypoint script that execs the CMD.
FROM postgres:16
COPY docker-entrypoint-initdb.d/ /docker-entrypoint-initdb.d/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
