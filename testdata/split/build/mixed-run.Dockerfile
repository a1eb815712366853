# A name server with sshd, a start script and sshd settings written by one RUN.
FROM debian:bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    bind9 \
    openssh-server \
    nano

# start script, then the sshd settings
RUN printf '#!/bin/sh\nexec named -g\n' > /start.sh && chmod +x /start.sh \
 && sed -i 's/#PasswordAuthentication.*/PasswordAuthentication yes/' /etc/ssh/sshd_config \
 && echo 'root:root' | chpasswd
WORKDIR /etc/bind
EXPOSE 22 53
CMD ["/start.sh"]
