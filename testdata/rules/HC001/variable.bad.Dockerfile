# A FROM written with a variable: the swap is the user's to make (display-only).
ARG DEBIAN=debian:12
FROM ${DEBIAN}
CMD ["bash"]
