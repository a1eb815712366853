# A comment ending in a backslash does not continue onto the SHELL below it (BuildKit drops
# comment lines before joining continuations), so the SHELL sets pipefail.
FROM debian:12
# use bash \
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -q -O - https://example.com/x | wc -l > /n
