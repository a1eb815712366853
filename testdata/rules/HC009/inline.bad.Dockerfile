FROM debian:bookworm-slim
RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends nginx
CMD ["nginx", "-g", "daemon off;"]
