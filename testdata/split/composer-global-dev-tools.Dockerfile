FROM composer:2 AS composer
FROM php:8.3-fpm-bookworm
COPY --from=composer /usr/bin/composer /usr/bin/composer
ENV COMPOSER_HOME=/composer
RUN composer global require --prefer-dist --no-progress laravel/installer friendsofphp/php-cs-fixer symfony/var-dumper
WORKDIR /var/www/html
COPY . .
CMD ["php-fpm"]
