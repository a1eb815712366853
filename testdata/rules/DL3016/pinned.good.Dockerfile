FROM node:20
RUN npm ci && npm install \
 && npm install -g typescript@5.4.5 @angular/cli@17.3.0 \
 && npm install ./local-pkg ../sibling file:vendor/x ./pkg.tgz https://example.com/x.tgz \
 && npm install git+https://github.com/org/repo.git#v1.0.0 expressjs/express#4.19.2 $PKG \
 && yarn add lodash && npm run build
