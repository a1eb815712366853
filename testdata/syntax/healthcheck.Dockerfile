FROM scratch
HEALTHCHECK NONE
HEALTHCHECK --interval=5s --timeout=3s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK --interval=5s NONE
HEALTHCHECK CONNECT TCP 7000
HEALTHCHECK
