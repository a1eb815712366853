FROM alpine:3.20
RUN sh -c 'apk add --virtual .deps gcc=13.2.1-r0'
