# One RUN installs the application's packages and an SSH server, then prepares the server:
# the server and its setup go to dev (the setup after the server's install there), while
# production keeps the install of the rest with its options and the cleanup.
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx openssh-server curl \
 && mkdir -p /var/run/sshd \
 && sed -i 's/#PermitRootLogin.*/PermitRootLogin yes/' /etc/ssh/sshd_config \
 && ssh-keygen -A \
 && rm -rf /var/lib/apt/lists/*
COPY site/ /var/www/html/
EXPOSE 80 22
CMD ["nginx", "-g", "daemon off;"]
