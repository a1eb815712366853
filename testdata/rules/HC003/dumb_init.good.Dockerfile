FROM alpine:3.20
RUN apk add --no-cache dumb-init
COPY app /usr/local/bin/app
ENTRYPOINT ["dumb-init", "--"]
CMD ["app", "--port", "8080"]
