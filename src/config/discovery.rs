//! Which config applies to a file: the nearest one upward from its directory, cached.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Config, ConfigError, absolute, load, normalize};

/// dlayer's config file names, looked for in every directory. Both in one directory is an error.
pub const DLAYER_FILE_NAMES: [&str; 2] = ["dlayer.toml", ".dlayer.toml"];

/// hadolint's config file names, looked for in every directory when no dlayer config applies.
/// Both in one directory: `.hadolint.yaml` wins, as in hadolint.
pub const HADOLINT_FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

type Found = Result<Option<Arc<Config>>, ConfigError>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Dlayer,
    Hadolint,
}

/// Finds the config of each linted file:
///
/// 1. the nearest `dlayer.toml` or `.dlayer.toml` in the file's directory or any parent, up to
///    the file-system root (both names in one directory is an error: keep one);
/// 2. when there is none on that path, the nearest `.hadolint.yaml` / `.hadolint.yml` found
///    the same way;
/// 3. otherwise none (hadolint's per-user locations are not searched: a CI run must not
///    depend on the machine's home directory; see [`hadolint_user_config`] for a CLI that
///    wants to opt in).
///
/// Configs are never merged: the nearest file is the whole configuration. Every directory's
/// answer is cached, errors included, and every config file is read at most once, so linting
/// thousands of files costs a few `stat`s per new directory. Paths are made absolute against
/// the current directory (symbolic links are not resolved); configs under the current
/// directory get a relative [`Config::path`], for shorter messages.
#[derive(Debug, Default)]
pub struct Discovery {
    cwd: Option<PathBuf>,
    dlayer: HashMap<PathBuf, Found>,
    hadolint: HashMap<PathBuf, Found>,
    files_read: usize,
}

impl Discovery {
    pub fn new() -> Self {
        Discovery {
            cwd: std::env::current_dir().ok(),
            ..Discovery::default()
        }
    }

    /// The config that applies to `file` (which need not exist).
    pub fn for_file(&mut self, file: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        let file = normalize(&absolute(file));
        match file.parent() {
            Some(dir) => self.for_dir(dir),
            None => self.for_dir(&file),
        }
    }

    /// The config that applies to files in `dir` (e.g. the current directory for stdin).
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        let dir = normalize(&absolute(dir));
        match self.nearest(&dir, Family::Dlayer)? {
            Some(config) => Ok(Some(config)),
            None => self.nearest(&dir, Family::Hadolint),
        }
    }

    /// How many config files were read (parsed or failed) so far.
    pub fn files_read(&self) -> usize {
        self.files_read
    }

    fn nearest(&mut self, dir: &Path, family: Family) -> Found {
        let mut visited = Vec::new();
        let mut current = Some(dir);
        let found = loop {
            let Some(here) = current else {
                break Ok(None);
            };
            let cache = match family {
                Family::Dlayer => &self.dlayer,
                Family::Hadolint => &self.hadolint,
            };
            if let Some(found) = cache.get(here) {
                break found.clone();
            }
            visited.push(here.to_path_buf());
            match self.config_in(here, family) {
                Ok(Some(path)) => {
                    self.files_read += 1;
                    break load(&path).map(|config| Some(Arc::new(config)));
                }
                Ok(None) => current = here.parent(),
                Err(error) => break Err(error),
            }
        };
        let cache = match family {
            Family::Dlayer => &mut self.dlayer,
            Family::Hadolint => &mut self.hadolint,
        };
        for here in visited {
            cache.insert(here, found.clone());
        }
        found
    }

    /// The config file of `family` in `dir`, as a path for display.
    fn config_in(&self, dir: &Path, family: Family) -> Result<Option<PathBuf>, ConfigError> {
        let names = match family {
            Family::Dlayer => DLAYER_FILE_NAMES,
            Family::Hadolint => HADOLINT_FILE_NAMES,
        };
        let present: Vec<PathBuf> = names
            .iter()
            .map(|name| dir.join(name))
            .filter(|path| path.is_file())
            .map(|path| self.display(path))
            .collect();
        match (family, present.as_slice()) {
            (_, []) => Ok(None),
            (Family::Dlayer, [first, second]) => Err(ConfigError::file(
                first,
                format!(
                    "both `{}` and `{}` are here: keep one",
                    first.display(),
                    second.display()
                ),
            )),
            (_, [first, ..]) => Ok(Some(first.clone())),
        }
    }

    /// `path` relative to the current directory when it is under it.
    fn display(&self, path: PathBuf) -> PathBuf {
        match &self.cwd {
            Some(cwd) => match path.strip_prefix(cwd) {
                Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
                _ => path,
            },
            None => path,
        }
    }
}

/// hadolint's per-user config, searched after `$PWD/.hadolint.yaml` by hadolint itself
/// (hadolint.md §5.4): `$XDG_CONFIG_HOME/hadolint.{yaml,yml}` (default `~/.config`), then
/// `~/.hadolint/{hadolint,config}.{yaml,yml}`, then `~/.hadolint.{yaml,yml}`. The first
/// existing file, or `None`. `var` looks up an environment variable (`|name|
/// std::env::var(name).ok()`). [`Discovery`] never uses it.
pub fn hadolint_user_config(var: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let home = var("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from);
    let xdg = var("XDG_CONFIG_HOME")
        .filter(|xdg| !xdg.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|home| home.join(".config")));
    let mut candidates = Vec::new();
    if let Some(xdg) = &xdg {
        candidates.extend(["hadolint.yaml", "hadolint.yml"].map(|name| xdg.join(name)));
    }
    if let Some(home) = &home {
        let dir = home.join(".hadolint");
        candidates.extend(
            ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"]
                .map(|name| dir.join(name)),
        );
        candidates.extend([".hadolint.yaml", ".hadolint.yml"].map(|name| home.join(name)));
    }
    candidates.into_iter().find(|path| path.is_file())
}
