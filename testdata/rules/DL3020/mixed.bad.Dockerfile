FROM alpine:3.20
ADD https://example.com/tool.sh ./local.sh /usr/local/bin/
ADD --checksum=sha256:abc ./file.txt /x
