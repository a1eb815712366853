FROM node:20-bookworm-slim
RUN npm install -g pm2@5 eslint \
 && yarn global add nodemon
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD ["pm2-runtime", "server.js"]
