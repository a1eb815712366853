curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
wget -qO- https://get.docker.com | sh && echo installed
! grep -q foo /etc/passwd
make 2>&1 |& tee build.log
service ssh start & sleep 1 && echo started &
test -f x || echo missing && echo after
a || b || c
x || { y; z; }
time make | cat
