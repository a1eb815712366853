FROM debian:12
RUN apt-get -y install -o Dpkg::Options::=--force-confold nginx=1.22* libpq5 \
    && apt-get purge -y --auto-remove nginx
RUN yum install -y --setopt=tsflags=nodocs httpd-2.4.6 java-1.8.0-openjdk && yum clean all
RUN dnf -y groupinstall "Development Tools" && microdnf install -y tar
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
    && pip install --no-cache-dir -r requirements.txt flask==3.0 "uvicorn[standard]>=0.29" \
    && apk del .build-deps
RUN zypper -n in -y vim && pacman -S --noconfirm git
RUN python3 -m pip install --upgrade pip && uv pip install ruff && pipx install poetry
RUN npm install -g @angular/cli@17 typescript && yarn global add nodemon && npm ci
RUN gem install rails -v 7.1 --no-document && go install golang.org/x/tools/gopls@latest
RUN cargo install ripgrep --version 14.0.0 && composer global require phpunit/phpunit:^10
RUN conda install -y -c conda-forge numpy=1.26 && curl -fsSL https://get.example.com | sh -
RUN apt-get update && apt-get dist-upgrade -y && apt-get clean
