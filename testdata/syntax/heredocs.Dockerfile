FROM alpine
RUN <<EOF
echo hello
EOF
RUN <<-EOT
	echo tabs are kept in the tree
	EOT
COPY <<'NOEXPAND' /etc/config
value=$HOME
NOEXPAND
COPY <<E"O"F /partly-quoted
x
EOF
RUN 3<<FD cat /dev/fd/3
fd three
FD
RUN cat <<A - <<B > /out
first
A
second
B
RUN cat << SPACED
spaced marker
SPACED
RUN cat <<EOF \
    && echo after
body after the whole logical line
EOF
RUN <<END
terminator must match exactly
END 
END
RUN echo "<<NOTHEREDOC" cat<<ALSONOT
RUN ["cat", "<<NOTJSON"]
USER <<NOTALLOWED
