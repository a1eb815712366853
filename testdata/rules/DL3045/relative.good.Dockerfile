FROM debian:12 AS build
COPY package.json /app/
WORKDIR /app
COPY . .
FROM build AS test
COPY . src
FROM debian:12
COPY a $HOME/a
COPY b /b
