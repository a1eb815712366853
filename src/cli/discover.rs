//! Which files `dlayer lint` reads: named files as given, and Dockerfiles found in directories
//! (recursively, honouring `.gitignore`).

use std::path::{Path, PathBuf};

/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
}

/// An input: a file to lint, or a walk error to report.
pub enum Found {
    File(PathBuf),
    Error(PathBuf, String),
}

/// Expands the command-line paths: files as given, directories walked; sorted, deduplicated.
pub fn find(paths: &[PathBuf]) -> Vec<Found> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        for entry in ignore::WalkBuilder::new(path)
            .hidden(false)
            .require_git(false)
            .build()
        {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
                    if is_file && is_dockerfile_name(&entry.file_name().to_string_lossy()) {
                        files.push(entry.into_path());
                    }
                }
                Err(error) => errors.push(Found::Error(path.clone(), error.to_string())),
            }
        }
    }
    files.sort();
    files.dedup();
    let mut found: Vec<Found> = files.into_iter().map(Found::File).collect();
    found.extend(errors);
    found
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
            "app.Dockerfile",
            "x.dockerfile",
            "Containerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "Dockerfiles",
            "README.md",
            "docker-compose.yml",
            "Dockerfile-old",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
