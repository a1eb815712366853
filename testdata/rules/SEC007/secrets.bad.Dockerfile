FROM node:22-slim
# expect
COPY .npmrc package.json ./
# expect
COPY .git /src/.git
# expect
COPY .env /app/.env
# expect
ADD id_rsa /root/.ssh/id_rsa
# expect
COPY certs/server-key.pem /etc/ssl/private/
# expect
COPY .aws/credentials /root/.aws/credentials
