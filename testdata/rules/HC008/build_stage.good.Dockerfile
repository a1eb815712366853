FROM debian:bookworm-slim AS logtest
RUN apt-get update && apt-get install -y --no-install-recommends rsyslog

FROM debian:bookworm-slim
COPY app /usr/local/bin/app
CMD ["app"]
