# A supervisor in a stage that is not shipped.
FROM debian:bookworm-slim AS integration
RUN apt-get update && apt-get install -y --no-install-recommends supervisor
CMD ["supervisord", "-n"]

FROM debian:bookworm-slim
COPY app /usr/local/bin/app
CMD ["app"]
