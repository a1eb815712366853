# hadolint shell=powershell
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS windows
RUN cd C:\app | Out-Null
FROM windows
RUN Get-ChildItem | Select-Object Name
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
RUN dir
