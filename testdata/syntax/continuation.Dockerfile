FROM debian:12
# whitespace after the escape still continues
RUN echo a \   
    b
# an escaped escape does not continue
RUN echo c\\
RUN echo d\\\
RUN echo e
# comment lines inside a continuation vanish, indented or not
RUN apt-get update \
# inside
    && apt-get install -y \
      # indented inside
      curl
# empty lines inside a continuation are skipped and warned about
RUN foo \

    bar \
	
    baz
# a line holding only the escape
ENV A=hello\
\
world
  # leading whitespace on the first line is dropped, kept on the next
    RUN echo good\
bye\
  frog
RUN echo # not a comment \
    continues
RUN ends at eof \
