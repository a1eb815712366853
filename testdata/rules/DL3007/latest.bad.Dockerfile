FROM debian:latest
FROM registry.example.com:5000/team/app:latest AS app
