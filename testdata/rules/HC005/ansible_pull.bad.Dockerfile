FROM python:3.12-slim
RUN pip install --no-cache-dir ansible-core
CMD ["sh", "-c", "ansible-pull -U https://git.example.com/config.git local.yml && exec app"]
