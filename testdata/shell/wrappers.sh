sudo -u postgres psql -c 'select 1'
sudo -E -H apt-get install -y vim
env A=b C="d e" make install
env -i PATH=/bin sh
xargs -r apt-get purge
find . -name '*.o' | xargs -0 -n 1 -I{} rm -f {}
nice -n 10 nohup ionice -c3 make -j4
timeout -s KILL 30s curl -fs http://localhost
exec "$@"
exec gosu app node server.js
command -v curl
command -p ls
stdbuf -oL time -p make
/usr/bin/sudo --user=app -- id
sudo
A=1 B=2 sudo env
find /usr/local -type f -executable -exec sudo strip --strip-all {} + -o -name '*.pyc' -execdir rm -f {} \;
find / -xdev -exec sh -euxc 'chmod g-s "$@"' -- '{}' +
