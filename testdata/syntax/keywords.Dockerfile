from alpine AS Base
Run echo mixed
rUn echo odd
WORKDIR /app
