FROM scratch
RUN echo one\