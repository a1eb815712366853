FROM debian:12 AS build
COPY package.json app/
FROM build AS test
COPY . src
