FROM debian:12
RUN useradd -u 1000 app
RUN useradd -l -u 123456 app2
RUN useradd --no-log-init --uid 123456 app3
RUN useradd -lu 123456 app4
