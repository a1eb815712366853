FROM alpine:3.20
RUN echo a \
    b
COPY <<EOF /x
line one
EOF
CMD ["sh"]
