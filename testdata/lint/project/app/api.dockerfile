FROM python:3.12-slim
COPY api /api
CMD ["python", "/api/main.py"]
