FROM python:3.12
SHELL ["pwsh", "-c"]
ONBUILD RUN pip install -r requirements.txt
