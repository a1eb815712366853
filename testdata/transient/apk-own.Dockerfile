FROM alpine:3.19
RUN apk add --no-cache nginx git && git clone https://example.com/site.git /srv
CMD ["nginx"]
