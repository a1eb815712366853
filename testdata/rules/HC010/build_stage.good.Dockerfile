# Many installs in a stage that is not shipped are the builder's business.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y gcc
RUN apt-get update && apt-get install -y make
RUN apt-get update && apt-get install -y libssl-dev
COPY . /src
RUN make -C /src

FROM debian:bookworm-slim
COPY --from=build /src/app /usr/local/bin/app
CMD ["app"]
