//! Which files `dlayer lint` (and `fix`, `fmt`) reads: named files as given, and Dockerfiles
//! found in directories (recursively, honouring `.gitignore`), narrowed or widened by
//! `--include`/`--exclude` and the `include`/`exclude` keys of `dlayer.toml`.

use std::path::{Path, PathBuf};

use dlayer::config::PathGlob;

/// The names looked for in directories, as the messages show them.
pub const DEFAULT_PATTERNS: &str =
    "Dockerfile*, *Dockerfile, Containerfile*, *Containerfile (any case)";

/// The names BuildKit users give Dockerfiles (case-insensitively): `Dockerfile*`
/// (`Dockerfile.dev`, `Dockerfile-dev`, `Dockerfile_prod`), `*.Dockerfile`/`*.dockerfile`,
/// `Containerfile*`, `*.containerfile`, and names that end so without a dot (`prod-Dockerfile`,
/// `web_Containerfile`, corpus names like `owner+repo__path__Dockerfile`). `*.dockerignore` files (`Dockerfile.dockerignore` is
/// BuildKit's per-Dockerfile ignore file) are not Dockerfiles.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower.starts_with("dockerfile")
        || lower.starts_with("containerfile")
        || lower.ends_with("dockerfile")
        || lower.ends_with("containerfile")
}

/// Globs that add names to those looked for in directories, and globs that leave files and
/// directories out.
#[derive(Clone, Default)]
pub struct Filter {
    pub include: Vec<PathGlob>,
    pub exclude: Vec<PathGlob>,
}

impl Filter {
    /// The patterns a directory walk looks for, for messages.
    pub fn describe(&self) -> String {
        let mut text = DEFAULT_PATTERNS.to_string();
        for glob in &self.include {
            text.push_str(&format!(", {}", glob.pattern));
        }
        if !self.exclude.is_empty() {
            let excluded: Vec<&str> = self.exclude.iter().map(|g| g.pattern.as_str()).collect();
            text.push_str(&format!(" (excluding {})", excluded.join(", ")));
        }
        text
    }

    fn wants(&self, path: &Path, name: &str) -> bool {
        (is_dockerfile_name(name) || self.include.iter().any(|glob| glob.matches_file(path)))
            && !self.excluded(path)
    }

    fn excluded(&self, path: &Path) -> bool {
        excluded(&self.exclude, path)
    }
}

/// An input: a file to lint, a walk error to report, or a directory that held no Dockerfile.
pub enum Found {
    File(PathBuf),
    Error(PathBuf, String),
    NothingIn(PathBuf, String),
}

/// Expands the command-line paths: files as given (whatever their names), directories walked
/// with the filter `filter_for` gives for them; sorted, deduplicated.
pub fn find(
    paths: &[PathBuf],
    mut filter_for: impl FnMut(&Path) -> Result<Filter, String>,
) -> Vec<Found> {
    let mut files = Vec::new();
    let mut others = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let filter = match filter_for(path) {
            Ok(filter) => filter,
            Err(message) => {
                others.push(Found::Error(path.clone(), message));
                continue;
            }
        };
        let before = files.len();
        walk(path, &filter, &mut files, &mut others);
        if files.len() == before {
            others.push(Found::NothingIn(path.clone(), filter.describe()));
        }
    }
    files.sort();
    files.dedup();
    let mut found: Vec<Found> = files.into_iter().map(Found::File).collect();
    found.extend(others);
    found
}

fn excluded(exclude: &[PathGlob], path: &Path) -> bool {
    exclude.iter().any(|glob| glob.matches_file(path))
}

fn walk(root: &Path, filter: &Filter, files: &mut Vec<PathBuf>, errors: &mut Vec<Found>) {
    let exclude = filter.exclude.clone();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        // Excluded directories are not entered at all.
        .filter_entry(move |entry| entry.depth() == 0 || !excluded(&exclude, entry.path()))
        .build();
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
                let name = entry.file_name().to_string_lossy();
                if is_file && filter.wants(entry.path(), &name) {
                    found.push(entry.into_path());
                }
            }
            Err(error) => errors.push(Found::Error(root.to_path_buf(), error.to_string())),
        }
    }
    // In the order of `Path` (components compared one by one), which was most of finding
    // 100k files when each comparison split both paths into components: one byte key each.
    found.sort_by_cached_key(|path| walk_order_key(path));
    files.append(&mut found);
}

/// `path`'s bytes with each separator as the least byte. For paths that a walk joined from
/// one root (the same leading bytes, names without separators), the keys' byte order is
/// `Path`'s order: a shorter component sorts before every longer one it begins.
fn walk_order_key(path: &Path) -> Vec<u8> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&byte| {
            if byte.is_ascii() && std::path::is_separator(byte as char) {
                0
            } else {
                byte
            }
        })
        .collect()
}

/// The path as shown in reports: `./` dropped.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.dev",
            "Dockerfile-dev",
            "Dockerfile_prod",
            "app.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.ci",
            "app.containerfile",
            "prod-Dockerfile",
            "docker-library+php__8.2__cli__Dockerfile",
            "web_Containerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "README.md",
            "docker-compose.yml",
            "Dockerfile.dockerignore",
            "app.Dockerfile.dockerignore",
            ".dockerignore",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }

    #[test]
    fn walk_order_keys_sort_as_paths_do() {
        let names = ["a", "a.b", "a-b", "ab", "a b", "B", "é", "a~"];
        for root in ["root", "./root", "root/", "/tmp/r.d"] {
            let mut paths: Vec<PathBuf> = Vec::new();
            for first in names {
                paths.push(Path::new(root).join(first));
                for second in names {
                    paths.push(Path::new(root).join(first).join(second).join("Dockerfile"));
                }
            }
            let mut by_key = paths.clone();
            by_key.sort_by_cached_key(|path| walk_order_key(path));
            paths.sort();
            assert_eq!(by_key, paths, "{root}");
        }
    }
}
