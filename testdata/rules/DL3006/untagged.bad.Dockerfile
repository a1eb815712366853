FROM debian
FROM docker.io/library/alpine AS tools
FROM localhost:5000/myimage
