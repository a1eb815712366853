FROM ruby:3.3
RUN gem install bundler:2.5.6 rails:7.1.3
RUN gem install -v 13.1.0 rake && gem install --version=1.0 foo
RUN gem install ./vendor/local.gem && gem update --system
