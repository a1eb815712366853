FROM nginx:1.27
HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
ENTRYPOINT /docker-entrypoint.sh nginx
CMD nginx -g daemon-off
