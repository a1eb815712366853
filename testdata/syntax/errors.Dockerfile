FROM alpine
CMD [ "echo", [ "nested" ] ]
RUN echo still parsed
ENV novalue
ENV a=1 b
LABEL ok=1
RUN cat <<'OPEN
RUN echo after the bad quote
COPY <<NEVER /x
this heredoc never ends
