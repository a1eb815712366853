//! Image references as `FROM` and `COPY --from` name them: `[registry/]repository[:tag][@digest]`.

use serde::Serialize;

/// A parsed image reference; the parts are as written (no `docker.io/library/` added).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    pub raw: String,
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// The parts of an image reference, borrowed from its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageParts<'a> {
    pub registry: Option<&'a str>,
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageParts<'a> {
    /// Splits a reference the way the Docker reference grammar does: the first path component
    /// is a registry when it holds a `.` or `:` or is `localhost`.
    pub fn parse(raw: &'a str) -> ImageParts<'a> {
        let (name, digest) = match raw.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (raw, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(colon) => (
                &name[..last_slash + colon],
                Some(&name[last_slash + colon + 1..]),
            ),
            None => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first), rest)
            }
            _ => (None, name),
        };
        ImageParts {
            registry,
            repository,
            tag,
            digest,
        }
    }
}

impl ImageRef {
    /// [`ImageParts::parse`], each part copied.
    pub fn parse(raw: &str) -> ImageRef {
        let parts = ImageParts::parse(raw);
        ImageRef {
            raw: raw.to_string(),
            registry: parts.registry.map(str::to_string),
            repository: parts.repository.to_string(),
            tag: parts.tag.map(str::to_string),
            digest: parts.digest.map(str::to_string),
        }
    }

    /// The repository without Docker Hub's implicit `library/` (what catalogs are keyed by).
    pub fn short_repository(&self) -> &str {
        short_repository(self.registry.as_deref(), &self.repository)
    }

    /// `scratch`: no base image at all.
    pub fn is_scratch(&self) -> bool {
        is_scratch(self.registry.as_deref(), &self.repository)
    }
}

/// [`ImageRef::is_scratch`] of a reference with these parts.
pub fn is_scratch(registry: Option<&str>, repository: &str) -> bool {
    registry.is_none() && repository == "scratch"
}

/// [`ImageRef::short_repository`] of a reference with these parts.
pub fn short_repository<'a>(registry: Option<&str>, repository: &'a str) -> &'a str {
    let on_hub = matches!(
        registry,
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
    );
    match repository.strip_prefix("library/") {
        Some(short) if on_hub => short,
        _ => repository,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> (Option<String>, String, Option<String>, Option<String>) {
        let image = ImageRef::parse(raw);
        (image.registry, image.repository, image.tag, image.digest)
    }

    #[test]
    fn splits_registry_repository_tag_and_digest() {
        assert_eq!(
            parts("golang:1.23"),
            (None, "golang".into(), Some("1.23".into()), None)
        );
        assert_eq!(parts("ubuntu"), (None, "ubuntu".into(), None, None));
        assert_eq!(
            parts("localhost:5000/team/app:v1@sha256:abc"),
            (
                Some("localhost:5000".into()),
                "team/app".into(),
                Some("v1".into()),
                Some("sha256:abc".into())
            )
        );
        assert_eq!(
            parts("gcr.io/distroless/static-debian12"),
            (
                Some("gcr.io".into()),
                "distroless/static-debian12".into(),
                None,
                None
            )
        );
        assert_eq!(
            parts("library/debian:12"),
            (None, "library/debian".into(), Some("12".into()), None)
        );
    }

    #[test]
    fn short_repository_drops_hub_library_prefix() {
        assert_eq!(
            ImageRef::parse("docker.io/library/nginx:1").short_repository(),
            "nginx"
        );
        assert_eq!(
            ImageRef::parse("quay.io/library/x").short_repository(),
            "library/x"
        );
        assert!(ImageRef::parse("scratch").is_scratch());
    }
}
