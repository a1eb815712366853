# A script of the application's own named /init, with no sign of s6-overlay: not a supervisor.
FROM alpine:3.20
COPY init.sh /init
ENTRYPOINT ["/init"]
