FROM debian:12 AS windows
# hadolint shell=powershell
RUN cd C:\app; Get-ChildItem
FROM debian:12
RUN cd /tmp && make
