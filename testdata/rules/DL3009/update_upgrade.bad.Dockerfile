# The lists come from `apt-get update`: a RUN that updates and upgrades keeps them too.
FROM debian:12
RUN apt-get update -qq && apt-get -qqy upgrade
