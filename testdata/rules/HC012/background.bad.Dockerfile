# `&` sends one service to the background; the other is the main process.
FROM node:20-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["redis-server --save '' & exec node server.js"]
