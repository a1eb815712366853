echo hi > /tmp/a >> /tmp/b < /dev/null 2>&1 2>/dev/null &> /tmp/both &>> /tmp/all <> rw >| clobber 3<&0
cat <<EOF > /etc/apt/sources.list
deb http://deb.debian.org/debian bookworm main
deb $(echo mirror) $CODENAME main
EOF
cat <<-'QUOTED' | sh
	echo $(not substituted)
	QUOTED
grep x <<< "here string $(date)"
cat <<A <<"B"
first $(id)
A
second $(id)
B
> /tmp/only-redirect
VAR=1 >/dev/null env
