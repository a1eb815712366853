FROM node:22-slim
COPY package.json package-lock.json ./
COPY .env.example /app/.env.example
COPY certs/ca.pem /usr/local/share/ca-certificates/ca.crt
COPY --from=builder /root/.npmrc /tmp/unused
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY . /app
ADD docker/nodesource.gpg.key /etc/pki/gpg/GPG-KEY-nodesource
COPY keys/signing-pub.pem /etc/keys/
