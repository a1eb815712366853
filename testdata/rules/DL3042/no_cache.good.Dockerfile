FROM python:3.12
RUN pip install --no-cache-dir -r requirements.txt
RUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3
RUN pipx install black==24.4.0 && pipenv install
RUN --mount=type=cache,target=/root/.cache/pip pip install requests==2.32.3
ENV PIP_NO_CACHE_DIR=true
RUN pip install django==5.0.6
RUN pip --disable-pip-version-check install --no-cache-dir -q flask==3.0.3
