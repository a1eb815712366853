ARG BASE=debian:12
ARG PYTHON_VERSION
ARG REGISTRY=docker.io/library
FROM ${BASE} AS base
FROM python:${PYTHON_VERSION:-3.12}-slim AS py
FROM ${REGISTRY}/node:20 AS node
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM $UNDEFINED_BASE AS broken
