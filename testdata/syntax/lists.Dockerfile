FROM scratch
COPY a b /dst/
COPY ["a b", "c", "/dst/"]
COPY "a b" c
COPY a\ b c
ADD   src	dst
VOLUME /data /logs
VOLUME ["/data", "/logs"]
EXPOSE 80 443/tcp	53/udp
FROM alpine as second
