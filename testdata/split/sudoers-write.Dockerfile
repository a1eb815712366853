# A step that writes into sudo's directories: it goes to dev with sudo, while the user it
# creates stays in production (USER deploy needs it).
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y nginx sudo
RUN useradd -m deploy && echo 'deploy ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers && mkdir -p /srv/www
USER deploy
CMD ["nginx", "-g", "daemon off;"]
