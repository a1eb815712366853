# The agent left installed and run at every container start.
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends puppet-agent \
    && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/opt/puppetlabs/bin/puppet", "agent", "--no-daemonize", "--onetime"]
