FROM scratch
ONBUILD RUN --mount=type=cache,target=/c echo hi
ONBUILD COPY . /app
ONBUILD --x COPY a b
ONBUILD ONBUILD RUN x
ONBUILD FROM alpine
ONBUILD MAINTAINER me
ONBUILD RUN <<EOF
echo from a trigger
EOF
ONBUILD
