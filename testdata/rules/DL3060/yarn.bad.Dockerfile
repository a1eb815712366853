FROM node:20
WORKDIR /app
RUN yarn install --frozen-lockfile
RUN yarn && yarn build
ONBUILD RUN yarn install
