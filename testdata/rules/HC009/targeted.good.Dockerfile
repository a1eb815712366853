# Upgrades that name their packages are targeted fixes, not an OS upgrade.
FROM alpine:3.20
RUN apk upgrade --no-cache openssl libcrypto3
RUN apk add --no-cache --upgrade busybox
CMD ["sh"]
