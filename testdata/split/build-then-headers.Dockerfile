# `make` needs gcc and make from line 5 (a build stage could run it and production copy
# /usr/local) and then the headers of line 6, whose libraries production may lack: it runs in
# production with both installs' packages installed for that RUN alone.
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc make nginx && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y libsqlite3-dev sqlite3 && rm -rf /var/lib/apt/lists/*
COPY src /src
WORKDIR /src
RUN make && make install
CMD ["nginx", "-g", "daemon off;"]
