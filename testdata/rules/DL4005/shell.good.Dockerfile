FROM debian:12
SHELL ["/bin/bash", "-c"]
RUN ln -s /bin/sh /usr/local/bin/sh && ln -s /bin/bash /usr/bin/bash5
