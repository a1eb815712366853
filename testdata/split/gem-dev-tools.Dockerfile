FROM ruby:3.3-slim
RUN gem install --no-document sinatra:4.0.0 pry rubocop puma
WORKDIR /app
COPY . .
CMD ["ruby", "app.rb"]
