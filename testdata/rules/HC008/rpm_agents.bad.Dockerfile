FROM rockylinux:9
RUN dnf -y install telegraf zabbix-agent && dnf clean all
COPY app /usr/local/bin/app
CMD ["app"]
