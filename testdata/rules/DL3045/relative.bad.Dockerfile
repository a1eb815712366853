FROM debian:12 AS build
COPY package.json app/
FROM build AS test
COPY . src

# A distribution image runs in /: the destination is written from there (safe).
FROM alpine:3.20
COPY app.py ./
COPY config etc/app/

# The base image decides the working directory: no fix.
FROM python:3.12-slim
COPY app.py app/
