# syntax=docker/dockerfile:1.7
#	  EsCaPe = `
# check=skip=JSONArgsRecommended;error=true
# not a directive: ends the section
# escape=\
FROM scratch
RUN echo a `
    b \
    c
