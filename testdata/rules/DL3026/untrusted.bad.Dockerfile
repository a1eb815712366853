FROM quay.io/prometheus/node-exporter:v1.8.0 AS exporter
FROM evil.example.org/base:1.0
FROM gcr.io/distroless/static:nonroot
