# leading comment
echo a # trailing comment $(not run)
echo b#not-a-comment 'quoted # not comment'
echo c;# comment after operator
if true; then # comment in if
  echo d # x
fi
