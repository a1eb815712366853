apt-get update && if [ -f x ]; then
  echo inside
