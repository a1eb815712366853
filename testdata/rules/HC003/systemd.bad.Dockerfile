# systemd booted as PID 1, the CentOS-era way.
FROM centos:7
ENV container docker
RUN yum -y install systemd httpd && yum clean all && systemctl enable httpd
VOLUME ["/sys/fs/cgroup"]
STOPSIGNAL SIGRTMIN+3
CMD ["/usr/sbin/init"]
