# An image of the tool itself: strace is the application.
FROM alpine:3.20
RUN apk add --no-cache strace
ENTRYPOINT ["strace"]
