FROM registry.example.com/team/base-nonroot:1.4
COPY app /app
CMD ["/app"]
