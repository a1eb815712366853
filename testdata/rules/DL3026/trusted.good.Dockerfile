ARG REGISTRY=registry.corp.example.com
FROM alpine:3.20 AS a
FROM docker.io/library/debian:12 AS b
FROM registry.corp.example.com/team/app:1.0 AS c
FROM ${REGISTRY}/team/base:2.0 AS d
FROM scratch AS e
FROM a
