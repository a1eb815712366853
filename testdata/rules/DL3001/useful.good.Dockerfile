FROM debian:12
RUN apt-get install -y procps=2 vim=2 && echo ps top
RUN killall -q x || true
