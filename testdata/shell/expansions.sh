echo $HOME ${HOME} ${x:-default} ${x:=$(whoami)} ${#x} ${x%%.*} ${x/a/b} "${x:+"nested quotes"}" $1 $@ $? $$
echo "$(uname -m)" `hostname` "`id -u`" $(( 1 + $(nproc) * 2 )) $((x+1))
echo $(echo $(echo deep) `echo "back \`tick\`"`)
v=$(curl -fsSL https://example.com/version | head -n1)
echo $( (subshell in substitution) )
cat $(find . -name '*.txt' -print) > all
