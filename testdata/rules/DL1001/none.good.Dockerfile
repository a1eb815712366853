# hadolint global ignore=DL3008
FROM debian:12
# a comment mentioning hadolint ignore=DL3008 is not a pragma
RUN echo hadolint
