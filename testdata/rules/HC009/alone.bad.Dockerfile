FROM alpine:3.20
# The RUN only upgrades: the fix removes the instruction.
RUN apk upgrade --no-cache
RUN zypper --non-interactive dup
RUN dnf -y upgrade --refresh && dnf clean all
RUN pacman -Syu --noconfirm
# Only clean-up would be left: the fix removes the RUN.
RUN yum -y update && yum clean all && rm -rf /var/cache/yum
