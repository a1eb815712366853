FROM scratch
\
RUN echo after a lone escape line
\
