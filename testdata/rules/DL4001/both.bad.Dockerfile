FROM debian:12
RUN curl -fsSLo /tmp/a https://example.com/a
RUN wget -q https://example.com/b && curl -fsS https://example.com/c
ONBUILD RUN wget -q https://example.com/d
