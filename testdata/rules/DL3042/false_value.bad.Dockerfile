# pip disables its cache for any value, but a value that reads as "no" says the opposite:
# reported, as hadolint does.
FROM python:3.12
ENV PIP_NO_CACHE_DIR=off
RUN pip install django==5.0.6
RUN export PIP_NO_CACHE_DIR=false && pip install flask==3.0.3
