FROM debian:12
RUN apt-get update
RUN echo one

RUN --mount=type=cache,target=/root/.cache echo a
RUN --mount=type=cache,target=/root/.cache echo b
RUN sh -c "echo c && echo d"
RUN echo e
# a comment does not separate them
RUN echo f
RUN cd /tmp
RUN touch here
