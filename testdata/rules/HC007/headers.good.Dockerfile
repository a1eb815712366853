# Kernel *API* headers to compile against are headers, not a kernel; removed after the build.
FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev linux-headers make \
    && make -C /usr/src/app \
    && apk del .build-deps
CMD ["app"]
