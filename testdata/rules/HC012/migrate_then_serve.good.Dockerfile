# A one-shot step before the service is not a second service.
FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD ./manage.py migrate --noinput && exec gunicorn app.wsgi --bind 0.0.0.0:8000
