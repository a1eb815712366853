# The official-image idiom: build dependencies installed, used and removed in one RUN.
FROM alpine:3.20
COPY src/ /usr/src/app/
RUN apk add --no-cache --virtual .build-deps gcc make musl-dev \
    && make -C /usr/src/app \
    && make -C /usr/src/app install \
    && apk del --no-network .build-deps \
    && rm -rf /usr/src/app
CMD ["app"]
