echo 'single $x `y`' "double \"q\" \$x \\ \`" $'ansi\t\x41\'' $"locale" mixed'a'"b"\ c \#hash
printf '%s\n' "multi
line" a\
b "continued \
inside"
echo ~ ~/x *.deb [abc]? {a,b}c $ x$ "$"
