FROM debian:12
RUN ps aux | grep nginx
RUN service nginx start && top -b -n1
RUN sudo mount /dev/sda1 /mnt; vim /etc/hosts
ONBUILD RUN ssh build@host true
