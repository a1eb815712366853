# hadolint shell=powershell
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN Get-ChildItem | Select-Object Name
FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# dlayer shell=pwsh
RUN Get-ChildItem | Select-Object Name
