# A fragment (a template FROM is injected into): its instructions are linted too.
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
