# A fragment without FROM builds no image: its USER root is not the last USER of one.
USER root
RUN id
