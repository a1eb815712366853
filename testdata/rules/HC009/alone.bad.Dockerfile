FROM alpine:3.20
# The RUN only upgrades: the fix removes the instruction.
RUN apk upgrade --no-cache
RUN zypper --non-interactive dup
RUN dnf -y upgrade --refresh && dnf clean all
RUN pacman -Syu --noconfirm
