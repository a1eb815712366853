# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended


arg  BASE=debian:12
from ${BASE}   as   build
# build tools
run apt-get update &&\
  apt-get install -y --no-install-recommends gcc make libc6-dev curl ca-certificates git pkg-config &&\
  rm -rf /var/lib/apt/lists/*   


COPY  --chown=app:app  src/  /src/
RUN set -eux; \
	if [ -f /src/Makefile ]; then \
		make -C /src; \

	fi
ENV GREETING="hello   world" \
   PATH=/opt/bin:$PATH
RUN <<EOF
  echo "heredoc   kept"
EOF
# the final stage
from debian:12-slim
copy --from=build /src/app /usr/local/bin/app
cmd ["app",   "--serve"]
