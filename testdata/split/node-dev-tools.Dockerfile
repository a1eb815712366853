FROM node:20
RUN apt-get update \
 && apt-get install -y --no-install-recommends git vim htop strace curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 3000
CMD ["node", "server.js"]
