dpkgArch="$(dpkg --print-architecture)"; \
case "$(dpkg --print-architecture)" in \
	amd64) ARCH='x86_64'; url='https://example.com/amd64.tar.gz' ;; \
	arm64 | aarch64) ARCH='aarch64' ;; \
	(armhf) ARCH='armv7';& \
	i386) echo fallthrough ;;& \
	*) echo >&2 "unsupported architecture: ${dpkgArch}"; exit 1 ;; \
esac; \
case $x in esac; \
case $x in a) echo last-without-dsemi; esac
