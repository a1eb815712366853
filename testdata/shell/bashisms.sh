set -o pipefail
source /etc/profile && . ~/.bashrc
[[ -f /etc/os-release && $(id -u) -eq 0 ]] && echo root
[[ $x =~ ^(a|b)$ ]] || echo no
(( i++ )) && (( j = $(nproc) + 1 ))
pkgs=(curl "wget" $extra) && apt-get install -y "${pkgs[@]}"
declare -a list=(a b) && local -r m=([k]=v)
function install_deps { apt-get update; }
function cleanup() { rm -rf /tmp/*; }
diff <(sort a) <(sort b) > >(tee log)
echo $'tab\there'
time { make; make install; } && time -p ( cd /src && make ) && time make test
curl --config=<(printf 'url = x') -o out
echo ${x:-{a}b} done
