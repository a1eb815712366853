FROM debian:12
RUN wget -q https://example.com/a
RUN wget -qO- https://example.com/b
RUN wget -nv https://example.com/c
RUN wget --progress=dot:giga https://example.com/d
RUN wget --no-verbose https://example.com/e
RUN wget -o /tmp/log https://example.com/f
RUN wget --append-output=/tmp/log https://example.com/g
RUN wget --quiet https://example.com/h
