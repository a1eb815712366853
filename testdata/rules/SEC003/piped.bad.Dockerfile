FROM debian:12
# expect
RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
# expect
RUN wget -qO- https://get.example.com \
    | sudo sh
# expect
RUN curl -sSL https://bootstrap.pypa.io/get-pip.py | python3
# expect
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
