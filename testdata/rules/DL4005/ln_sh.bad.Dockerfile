FROM debian:12
RUN ln -sf /bin/bash /bin/sh
ONBUILD RUN ln -s /bin/bash /bin/sh
