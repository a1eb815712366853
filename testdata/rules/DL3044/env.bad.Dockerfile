FROM debian:12
ENV A=1 B=$A
ENV HOME=/home/app PATH="${HOME}/bin:$PATH"
