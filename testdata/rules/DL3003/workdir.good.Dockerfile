FROM debian:12
WORKDIR /tmp
RUN make
RUN echo cd /src
