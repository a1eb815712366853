FROM debian:12
RUN sudo apt-get install -y curl=1
RUN env A=1 /usr/bin/sudo -u app make && sudo -l
ONBUILD RUN sudo make install
