echo a; echo b )
echo never
