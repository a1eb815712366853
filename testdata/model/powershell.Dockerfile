# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Install-WindowsFeature Web-Server; `
    Invoke-WebRequest https://example.com/x.msi -OutFile x.msi
WORKDIR C:\\app
