FROM python:3.12
RUN pip install -r requirements.txt
RUN python3 -m pip install --upgrade pip==24.0 && pip3.12 install flask==3.0.3
