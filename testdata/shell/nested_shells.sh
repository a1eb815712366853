bash -c 'apt-get install -y vim'
sh -c "echo \"$HOME\""
sh -ec "apt-get update && apt-get install -y git"
bash -o pipefail -c 'curl -fsSL https://x | tar -xz'
su -c 'make install' app
su - postgres -c "createdb app"
sudo sh -c 'echo a > /etc/x; service ssh start'
sh -c "sh -c 'echo inner'"
sh -c "$CMD"
bash -lc 'source ~/.bashrc && nvm install 20'
sh -c 'echo $(id -u) `whoami`'
