FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 \
    && scanelf --needed /usr/local | xargs -rt apk add --no-network --virtual .rundeps \
    && apk del --no-network .build-deps
