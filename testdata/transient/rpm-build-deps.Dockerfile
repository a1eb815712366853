FROM centos:7
RUN yum install -y python3
RUN yum install -y gcc make
RUN make -C /src && ./install.sh
CMD ["python3"]
