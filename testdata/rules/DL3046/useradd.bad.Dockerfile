FROM debian:12
RUN useradd -u 123456 app
RUN useradd --uid=1000000 -m svc
ONBUILD RUN useradd -u 999999 x
