FROM scratch
RUN echo ÿþ bad
RUN echo ok
