FROM python:3.11-slim
# Headers and compilers for the C extensions of the requirements.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN make -C native && cp native/libfast.so /usr/local/lib/
ENV APP_ENV=production
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
