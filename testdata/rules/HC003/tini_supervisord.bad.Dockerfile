# tini as PID 1 is fine, but what it starts is a supervisor: seen through.
FROM python:3.12-slim
RUN pip install --no-cache-dir supervisor
ENTRYPOINT ["tini", "--"]
CMD ["supervisord", "-n"]
