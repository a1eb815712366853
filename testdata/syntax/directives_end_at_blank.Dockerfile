# syntax=docker/dockerfile:1

# escape=`
FROM scratch
RUN echo a \
  b
