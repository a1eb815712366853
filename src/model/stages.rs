//! Stages: FROM with `${VAR}` resolved from the meta ARGs, stage chains, `COPY --from` and
//! `RUN --mount=from=` edges, the target and which stages are shipped.

use serde::Serialize;

use super::image::{self, ImageParts};

/// The base of a stage as FROM names it.
#[derive(Clone, Debug, Serialize)]
pub struct Base {
    /// The reference after meta-ARG expansion (what BuildKit pulls).
    pub raw: String,
    /// The reference as written, when it differs from `raw` (it used `${VAR}`).
    pub written: Option<String>,
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// Index of the earlier stage this one is built FROM, if any.
    pub stage: Option<usize>,
    /// Variables the reference used that no meta ARG or built-in defines.
    pub undefined: Vec<String>,
}

impl Base {
    pub fn new(raw: String, written: &str, stage: Option<usize>, undefined: Vec<String>) -> Base {
        // The parts are copied from `raw`, which the base keeps, not from a copy of it.
        let parts = ImageParts::parse(&raw);
        let registry = parts.registry.map(str::to_string);
        let repository = parts.repository.to_string();
        let tag = parts.tag.map(str::to_string);
        let digest = parts.digest.map(str::to_string);
        Base {
            written: (written != raw).then(|| written.to_string()),
            raw,
            registry,
            repository,
            tag,
            digest,
            stage,
            undefined,
        }
    }

    /// [`image::ImageRef::is_scratch`] of the base, read from its parts without a parse.
    pub fn is_scratch(&self) -> bool {
        image::is_scratch(self.registry.as_deref(), &self.repository)
    }

    /// [`image::ImageRef::short_repository`] of the base, read from its parts without a parse.
    pub fn short_repository(&self) -> &str {
        image::short_repository(self.registry.as_deref(), &self.repository)
    }
}

/// Where a `COPY --from` or `RUN --mount=from=` takes files from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Stage { index: usize },
    Image { reference: String },
}

/// Resolves a `--from` value: a stage name (any case), a stage index, or else an image.
/// `first_named` gives the first stage with a (lowercased) name.
pub fn resolve_source(
    value: &str,
    first_named: impl FnOnce(&str) -> Option<usize>,
    current: usize,
) -> Source {
    if let Some(index) = first_named(&value.to_lowercase()).filter(|&index| index != current) {
        return Source::Stage { index };
    }
    match value.parse::<usize>() {
        Ok(index) if index < current => Source::Stage { index },
        _ => Source::Image {
            reference: value.to_string(),
        },
    }
}

/// Marks the target and every stage it is built FROM (transitively) as shipped.
pub fn shipped_stages(bases: &[Option<usize>], target: usize) -> Vec<bool> {
    let mut shipped = vec![false; bases.len()];
    let mut current = Some(target);
    while let Some(index) = current {
        if shipped[index] {
            break;
        }
        shipped[index] = true;
        current = bases[index];
    }
    shipped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image::ImageRef;

    #[test]
    fn from_values_resolve_to_stages_or_images() {
        let names = [Some("build"), None, Some("test")];
        let names = |wanted: &str| names.iter().position(|name| *name == Some(wanted));
        assert_eq!(
            resolve_source("BUILD", names, 2),
            Source::Stage { index: 0 }
        );
        assert_eq!(resolve_source("1", names, 2), Source::Stage { index: 1 });
        assert_eq!(
            resolve_source("nginx:1.25", names, 2),
            Source::Image {
                reference: "nginx:1.25".into()
            }
        );
        assert_eq!(
            resolve_source("5", names, 2),
            Source::Image {
                reference: "5".into()
            }
        );
    }

    #[test]
    fn a_base_reads_its_parts_as_its_parsed_image_does() {
        for raw in [
            "scratch",
            "docker.io/library/nginx:1",
            "quay.io/library/x",
            "localhost:5000/scratch",
            "library/debian:12@sha256:abc",
        ] {
            let base = Base::new(raw.to_string(), raw, None, Vec::new());
            let image = ImageRef::parse(&base.raw);
            assert_eq!(base.short_repository(), image.short_repository(), "{raw}");
            assert_eq!(base.is_scratch(), image.is_scratch(), "{raw}");
        }
    }

    #[test]
    fn shipped_follows_the_from_chain() {
        assert_eq!(
            shipped_stages(&[None, None, Some(0)], 2),
            vec![true, false, true]
        );
        assert_eq!(shipped_stages(&[None, Some(0)], 0), vec![true, false]);
    }
}
