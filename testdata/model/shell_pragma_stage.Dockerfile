FROM debian:12 AS linux
RUN cd /tmp && echo one
# dlayer shell=pwsh
RUN cd C:\app | Out-Null
FROM linux
RUN Get-ChildItem
SHELL ["/bin/bash", "-c"]
RUN cd /srv && echo two | cat
FROM debian:12
RUN echo three
#hadolint shell=bash
RUN echo four
