FROM debian:12
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN echo done
COPY . /src
RUN echo next
WORKDIR /app
RUN echo x
RUN --network=none echo y
FROM debian:12
RUN echo z
RUN echo a && echo b
RUN echo c | cat
RUN echo "$(date)"
RUN <<EOF
echo heredoc
EOF
RUN echo after
