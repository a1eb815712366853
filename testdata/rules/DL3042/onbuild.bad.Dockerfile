FROM python:3.12
ONBUILD RUN pip install -r requirements.txt
ONBUILD COPY . /app
