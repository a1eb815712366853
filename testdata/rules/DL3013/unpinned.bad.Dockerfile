FROM python:3.12
RUN pip install --no-cache-dir requests "flask[async]" django==5.0 --upgrade pip
RUN python -m pip install --no-cache-dir numpy && pip3 install -U git+https://github.com/org/tool.git
