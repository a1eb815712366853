# The shipped stage is built on the stage just before it, which installs a debugger and is used
# by nothing else: the two are read as one stage, so the debugger leaves production.
FROM debian:bookworm AS tools
RUN apt-get update \
 && apt-get install -y --no-install-recommends lighttpd strace \
 && rm -rf /var/lib/apt/lists/*
ENV GREETING=hello
WORKDIR /var/www/html

FROM tools
RUN echo "$GREETING from lighttpd" > index.html
EXPOSE 80
CMD ["lighttpd", "-D", "-f", "/etc/lighttpd/lighttpd.conf"]
