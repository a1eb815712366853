FROM debian:12-slim
ARG PREFIX=/opt/tools
ENV SRC_DIR=/usr/src/app
WORKDIR /build
# A relative cd: WORKDIR resolves it from the same directory (safe, back to /build).
RUN cd sub && make
# A cd back at the end changes nothing: it goes (safe, nothing else to do).
RUN make -C lib && cd ..
# Leading cd after set options, and a return at the end (safe).
RUN set -ex && cd /tmp && ./configure && make && cd /
# A directory from ENV and ARG values: WORKDIR expands them alike (safe).
RUN cd $SRC_DIR && make install
RUN cd ${PREFIX}/bin && ln -s tool t
# The directory made right before: WORKDIR makes it (safe).
RUN mkdir -p /opt/app && cd /opt/app && touch ready
# `;` after a leading cd (safe).
RUN cd /srv; ls
# A cd in the middle, between `&&`: the RUN is cut there (unsafe: more layers).
RUN set -eux \
 && curl -fsSLo /tmp/src.tgz https://example.com/src.tgz \
 && mkdir -p /tmp/src \
 && cd /tmp/src \
 && tar xzf /tmp/src.tgz \
 && cd build \
 && make install
# A variable the script sets, a `||` after a cut, a subshell, `cd -`, $HOME: no fix.
RUN DIR=/tmp/x && mkdir -p $DIR && cd $DIR && make
RUN make && cd /x && make install || true
RUN (cd /x && make) && echo done
RUN cd /x && make && cd - && ls
RUN cd $HOME && ls

FROM node:22-slim
# The base image decides the working directory: a relative cd cannot be named (no fix); an
# absolute one moves it for good (unsafe).
RUN cd app && npm ci
RUN npm ci && cd /srv && npm run build
