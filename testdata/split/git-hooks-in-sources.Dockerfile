FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends git vim && rm -rf /var/lib/apt/lists/*
WORKDIR /root/code
RUN git clone -b main https://github.com/example/mgc.git .
RUN pip install -r requirements.txt
# A file of the cloned sources, not configuration of git: it stays with the sources.
RUN rm -f ./.git/hooks/pre-commit
RUN chmod 755 install-hooks.sh
RUN python setup.py build_ext --inplace
CMD ["python", "-m", "mgc"]
