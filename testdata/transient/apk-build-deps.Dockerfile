FROM alpine:3.19
RUN apk add --no-cache python3
RUN apk add --no-cache gcc musl-dev postgresql-dev
RUN make -C /src && ./install.sh
CMD ["python3"]
