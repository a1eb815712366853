FROM alpine:3.20
RUN apk add --no-cache tcpdump strace bind-tools
RUN apk add --no-cache python3
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]
