FROM python:3.12-slim AS base
RUN useradd --create-home app
USER app

FROM base
COPY . /app
CMD ["python", "/app/main.py"]
