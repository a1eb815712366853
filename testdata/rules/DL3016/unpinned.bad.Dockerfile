FROM node:20
RUN npm install -g typescript @angular/cli eslint@8.57.0
RUN npm i --save-dev git+https://github.com/org/repo.git expressjs/express
