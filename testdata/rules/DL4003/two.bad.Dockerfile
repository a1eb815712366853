FROM debian:12
CMD ["bash"]
CMD ["nginx", "-g", "daemon off;"]
