# hadolint shell=powershell
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN cd C:\app; Get-ChildItem
