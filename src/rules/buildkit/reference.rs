//! Whether a string is an image reference Docker's `reference.ParseNormalizedNamed` accepts:
//! `[domain[:port]/]path-component[/path-component...][:tag][@digest]`, lower-case path.

/// `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`.
fn path_component(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !is_lower_alnum(bytes[0]) || !is_lower_alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_lower_alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_lower_alnum(bytes[i]) {
            i += 1;
        }
        let separator = &text[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `host[.host...][:port]` or `[ipv6][:port]`.
fn domain(text: &str) -> bool {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after.strip_prefix(':') {
            Some(port) => ("ipv6", Some(port)),
            None if after.is_empty() => ("ipv6", None),
            None => return false,
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let host_ok = host == "ipv6"
        || (!host.is_empty()
            && host.split('.').all(|label| {
                let bytes = label.as_bytes();
                !bytes.is_empty()
                    && bytes[0].is_ascii_alphanumeric()
                    && bytes[bytes.len() - 1].is_ascii_alphanumeric()
                    && bytes
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            }));
    host_ok && port.is_none_or(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
}

fn tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes[1..]
            .iter()
            .all(|b| word(*b) || *b == b'.' || *b == b'-')
}

fn digest(text: &str) -> bool {
    let Some((algorithm, hex)) = text.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        let bytes = part.as_bytes();
        !bytes.is_empty()
            && bytes[0].is_ascii_alphabetic()
            && bytes.iter().all(|b| b.is_ascii_alphanumeric())
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether Docker accepts `reference` as an image name.
pub fn is_valid(reference: &str) -> bool {
    let (name_and_tag, digest_part) = match reference.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (reference, None),
    };
    if digest_part.is_some_and(|d| !digest(d)) {
        return false;
    }
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag_part) = match name_and_tag[last_slash..].find(':') {
        Some(colon) => (
            &name_and_tag[..last_slash + colon],
            Some(&name_and_tag[last_slash + colon + 1..]),
        ),
        None => (name_and_tag, None),
    };
    if tag_part.is_some_and(|t| !tag(t)) || name.is_empty() || name.len() > 255 {
        return false;
    }
    let mut components: Vec<&str> = name.split('/').collect();
    let first = components[0];
    let has_domain = components.len() > 1
        && (first.contains(['.', ':'])
            || first == "localhost"
            || first.bytes().any(|b| b.is_ascii_uppercase()));
    if has_domain {
        if !domain(first) {
            return false;
        }
        components.remove(0);
    }
    !components.is_empty() && components.iter().all(|component| path_component(component))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_docker_accepts() {
        for good in [
            "busybox",
            "busybox:latest",
            "scratch",
            "library/debian:12-slim",
            "gcr.io/distroless/static-debian12:nonroot",
            "localhost:5000/team/app:v1",
            "my-registry.example.com/a__b/c.d:1.0",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "",
            "busybox:",
            "Busybox",
            "busy box",
            ":latest",
            "a//b",
            "alpine@sha256:xyz",
            "-alpine",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
