//! Platform specifiers (`linux/amd64`, `arm64`, `linux/arm/v7`) read the way containerd's
//! `platforms.Parse` reads them for BuildKit: components normalised, one component taken as an
//! OS or an architecture it knows.

/// An `os/arch[/variant]` platform, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

fn normalize_os(os: &str) -> String {
    match os.to_lowercase().as_str() {
        "macos" => "darwin".into(),
        other => other.into(),
    }
}

fn normalize_arch(arch: &str) -> String {
    match arch.to_lowercase().as_str() {
        "i386" => "386".into(),
        "x86_64" | "x86-64" | "amd64" => "amd64".into(),
        "aarch64" | "arm64" => "arm64".into(),
        "armhf" | "armel" | "arm" => "arm".into(),
        other => other.into(),
    }
}

fn valid_component(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The platform `specifier` names, or `None` when containerd would reject it.
pub fn parse(specifier: &str) -> Option<Platform> {
    let parts: Vec<&str> = specifier.split('/').collect();
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|part| valid_component(part)) {
        return None;
    }
    if let [single] = parts.as_slice() {
        let os = normalize_os(single);
        if KNOWN_OS.contains(&os.as_str()) {
            // containerd fills the other half from the machine it runs on.
            return Some(Platform {
                os,
                architecture: "amd64".into(),
            });
        }
        let architecture = normalize_arch(single);
        return KNOWN_ARCH
            .contains(&architecture.as_str())
            .then(|| Platform {
                os: "linux".into(),
                architecture,
            });
    }
    Some(Platform {
        os: normalize_os(parts[0]),
        architecture: normalize_arch(parts[1]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_containerd() {
        assert_eq!(
            parse("linux/x86_64"),
            Some(Platform {
                os: "linux".into(),
                architecture: "amd64".into()
            })
        );
        assert_eq!(parse("linux/arm/v7").unwrap().architecture, "arm");
        assert_eq!(parse("linux").unwrap().os, "linux");
        assert_eq!(parse("aarch64").unwrap().architecture, "arm64");
        assert_eq!(parse("nonsense"), None);
        assert_eq!(parse("linux/amd64/v2/x"), None);
        assert_eq!(parse("linux/$ARCH"), None);
        assert_eq!(parse(""), None);
    }
}
