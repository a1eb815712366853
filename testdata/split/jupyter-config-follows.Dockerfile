FROM python:3.12-slim
WORKDIR /srv/app
# The app, and a notebook server for the team to explore its data.
RUN pip install --no-cache-dir flask pandas jupyter
# The notebook server's configuration and style: it goes where jupyter goes.
COPY jupyter_notebook_config.py /root/.jupyter/
RUN mkdir -p /root/.jupyter/custom \
 && echo "body { font-size: 14px; }" > /root/.jupyter/custom/custom.css
COPY . .
# A setup script named through a variable the Dockerfile sets: it runs the app's own setup.
ENV APP_SETUP=/srv/app/bin/setup.sh
RUN $APP_SETUP --quiet
EXPOSE 5000
CMD ["flask", "run", "--host=0.0.0.0"]
