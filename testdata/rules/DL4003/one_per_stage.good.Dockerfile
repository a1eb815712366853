FROM debian:12 AS base
CMD ["bash"]
FROM base
CMD ["nginx"]
