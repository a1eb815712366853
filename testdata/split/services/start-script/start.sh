#!/bin/sh
set -e
mkdir -p /run/php
/usr/sbin/sshd
service php8.2-fpm start
exec nginx -g 'daemon off;'
