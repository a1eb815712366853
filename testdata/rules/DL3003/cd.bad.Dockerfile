FROM debian:12
RUN cd /tmp && make && cd /
RUN sh -c 'cd /src && make'
