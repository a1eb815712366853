apt-get update; sh -c "echo 'oops"
