FROM node:20 AS build
WORKDIR /app
RUN yarn install
FROM node:20
WORKDIR /app
RUN yarn install --production && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN yarn build
RUN yarn install; rm -rf /usr/local/share/.cache/yarn
RUN yarn --version
