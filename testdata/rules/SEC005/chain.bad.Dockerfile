FROM python:3.12-slim AS base
RUN pip install --no-cache-dir flask

# expect
FROM base AS final
COPY . /app
CMD ["python", "/app/main.py"]
