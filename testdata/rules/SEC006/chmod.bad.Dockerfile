FROM debian:12
# expect
RUN mkdir -p /var/lib/app && chmod -R 777 /var/lib/app
# expect
RUN chmod a+w /srv/uploads
# expect
RUN chmod 0777 /data
# expect
COPY --chmod=777 config/ /etc/app/
