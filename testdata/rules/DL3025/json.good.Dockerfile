FROM nginx:1.27
HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost/"]
HEALTHCHECK NONE
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
