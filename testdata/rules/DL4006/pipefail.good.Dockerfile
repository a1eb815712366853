FROM debian:12 AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
FROM base
RUN cat /etc/os-release | grep ID
FROM alpine:3.20
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN wget -qO- https://example.com | sh
FROM debian:12
RUN set -euxo pipefail; curl -fsSL https://example.com | sh
RUN sh -c 'a | b' && echo "x | y" && false || true
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Get-ChildItem | Select-Object Name
