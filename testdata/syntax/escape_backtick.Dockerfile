# escape=`
FROM mcr.microsoft.com/windows/servercore
RUN dir c:\ `
    && echo done
COPY C:\src\app C:\app
ENV PATH=C:\bin`;C:\tools
