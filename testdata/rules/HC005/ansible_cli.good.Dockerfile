# An image of the ansible CLI: it configures other machines over SSH, not the container.
FROM python:3.12-slim
RUN pip install --no-cache-dir ansible
ENTRYPOINT ["ansible-playbook"]
CMD ["--help"]
