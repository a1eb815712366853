if [ -f /etc/debian_version ]; then
  apt-get update
elif command -v apk >/dev/null 2>&1; then apk add --no-cache curl
else
  yum install -y curl
fi
for pkg in curl wget; do echo "$pkg"; done
for f; do rm "$f"; done
for ((i = 0; i < $(nproc); i++)); do make -j "$i"; done
while read -r line; do echo "$line"; done < /etc/hosts
until curl -fs localhost; do sleep 1; done
( cd /tmp && make install )
{ echo a; echo b; } > /tmp/out 2>&1
f() { echo "in f" "$@"; }
g() (
  echo in g
)
f x; g
if ! grep -q x /etc/hosts; then :; fi
