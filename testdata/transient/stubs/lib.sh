# Shared by the stub package managers of tests/transient_managers.rs. The simulated image is
# the directory $STUB_STATE:
#   installed  installed packages, one a line
#   world      apk's explicitly wanted packages (apk only)
#   deps       "package dependency…" lines: what installing a package brings
#   provides   "package capability…" lines (`so:libpq.so.5`, `cc`)
#   virtual/*  apk virtual packages: their dependencies
#   log        every stub call, one a line
S=$STUB_STATE
touch "$S/installed" "$S/world" "$S/deps" "$S/provides" "$S/log"
mkdir -p "$S/virtual"

log() {
    echo "$*" >> "$S/log"
}

is_installed() {
    grep -qx -- "$1" "$S/installed"
}

# The dependencies of package $1 (a virtual package's included).
deps_of() {
    grep -- "^$1 " "$S/deps" | cut -d' ' -f2-
    if [ -f "$S/virtual/$1" ]; then cat "$S/virtual/$1"; fi
}

# The packages $@ and everything they depend on, one a line.
closure() {
    printf '%s\n' "$@" | grep -v '^$' | sort -u > "$S/next"
    while :; do
        cp "$S/next" "$S/current"
        for package in $(cat "$S/current"); do deps_of "$package"; done | tr ' ' '\n' \
            | grep -v '^$' | cat "$S/current" - | sort -u > "$S/next"
        cmp -s "$S/current" "$S/next" && break
    done
    cat "$S/next"
}

# Whether an installed package provides capability $1 (every package provides its name).
providers_of() {
    for package in $(cat "$S/installed"); do
        if [ "$package" = "$1" ] || grep -- "^$package " "$S/provides" | tr ' ' '\n' | grep -qx -- "$1"; then
            echo "$package"
        fi
    done
}
