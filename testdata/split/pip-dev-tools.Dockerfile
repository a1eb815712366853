FROM python:3.12-slim
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# Web server and its helpers, with the team's debugging and test tools.
RUN pip install --no-cache-dir gunicorn==22.0.0 ipython pytest "flask>=3" \
 && python -m pip install --no-cache-dir pudb
RUN pip3 install --no-cache-dir ipdb
COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
