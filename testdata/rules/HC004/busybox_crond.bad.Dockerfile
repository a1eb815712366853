# Alpine's busybox has a crond applet: nothing installed, the start is the finding.
FROM alpine:3.20
COPY crontab /etc/crontabs/root
CMD ["crond", "-f", "-l", "2"]
