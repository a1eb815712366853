FROM debian:12 AS fetch
RUN curl -fsSLo /tmp/a https://example.com/a
FROM debian:12
RUN apt-get install -y curl=1 wget=1 && wget -q https://example.com/b
