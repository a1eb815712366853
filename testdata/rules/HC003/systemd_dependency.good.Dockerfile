# systemd pulled in as a dependency (udev, systemctl for a script) while the main process is
# the service itself: not an init system run as PID 1.
FROM rockylinux:9
RUN dnf -y install systemd-udev httpd && dnf clean all
CMD ["/usr/sbin/httpd", "-DFOREGROUND"]
