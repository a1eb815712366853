# An Alpine RUN installs the application's packages and an SSH server, then runs the server's
# init script once (to make its host keys): the server and the script's runs go to dev, the
# openrc setup between them stays in production.
FROM alpine:3.19
RUN apk add --no-cache nginx openrc openssh \
 && mkdir -p /run/openrc \
 && touch /run/openrc/softlevel \
 && /etc/init.d/sshd start \
 && /etc/init.d/sshd stop
CMD ["nginx", "-g", "daemon off;"]
