FROM debian:12
MAINTAINER Jane Doe <jane@example.com>
MAINTAINER "The \"Team\" $HOME"
