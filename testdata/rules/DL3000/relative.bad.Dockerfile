FROM debian:12
WORKDIR app
WORKDIR "src/main"

FROM ubuntu:24.04
# From / (a distribution image): safe.
WORKDIR srv
WORKDIR ../opt/app

FROM python:3.12-slim
# The base image decides the working directory: no fix.
WORKDIR app
