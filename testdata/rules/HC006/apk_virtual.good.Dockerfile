# Alpine's idiom: a virtual package groups the build dependencies, deleted after the build.
FROM python:3.12-alpine
COPY requirements.txt /tmp/
RUN apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && apk del --no-network .build-deps
CMD ["python3"]
