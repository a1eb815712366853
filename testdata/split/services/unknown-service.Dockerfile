FROM debian:bookworm
RUN apt-get update && apt-get install -y postgresql nginx openssh-server
EXPOSE 22 80 5432
CMD service postgresql start && service ssh start && nginx -g 'daemon off;'
