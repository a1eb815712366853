//! Configuration: `dlayer.toml` / `.dlayer.toml`, and hadolint's `.hadolint.yaml` and
//! `HADOLINT_*` environment variables for drop-in compatibility.
//!
//! - [`load`] reads one file, by its name: `*.toml` is a dlayer config, `*.yaml`/`*.yml` a
//!   hadolint config. Every unknown key and bad value is an error with `file:line:column`
//!   ([`ConfigError`]): unlike hadolint, a broken config never turns into an empty one.
//! - [`Discovery`] finds the config that applies to each linted file (the nearest one upward
//!   from the file's directory) and caches per directory.
//! - [`from_hadolint_env`] reads hadolint's environment variables; [`Config::merged_over`]
//!   layers configs with hadolint's precedence (scalars: upper wins; lists: concatenated).
//!
//! # `dlayer.toml` schema
//!
//! ```toml
//! # Rule selectors everywhere below: a code (HC002, DL3008, SC2086), a rule name
//! # (ssh-server), a BuildKit check (JSONArgsRecommended) or a code prefix (HC, DL30),
//! # case-insensitively. Unknown rules are errors.
//! select = ["HC", "DL3008"]        # only these rules (default: all)
//! ignore = ["HC010", "ssh-server"] # never these (wins over `select`)
//! failure-threshold = "warning"    # error | warning | info | style | none (never fail)
//! no-fail = false                  # true: exit 0 whatever is found
//! trusted-registries = ["docker.io", "*.example.com"]  # DL3026
//! strict-labels = true             # DL3050
//! disable-ignore-pragma = false    # true: `# dlayer/hadolint ignore=` pragmas are ignored
//! shellcheck = true                # run ShellCheck on RUN scripts (as `--shellcheck`)
//! include = ["*.df"]               # more names to look for in directories (as `--include`)
//! exclude = ["vendor", "old/**"]   # files and directories discovery skips (as `--exclude`)
//! max-file-size = 16777216         # bytes; a larger file is one finding, not read (16 MiB)
//!
//! [severity]                       # per-rule severity: error | warning | info | style
//! HC006 = "error"
//! DL30 = "info"                    # an exact code/name beats a prefix, a longer prefix a shorter
//!
//! [per-file-ignores]               # glob → selectors; globs are relative to this file's directory
//! "legacy/**" = ["HC001"]          # `*`/`?` stop at `/`, `**` crosses directories
//! "/Dockerfile" = ["DL3008"]        # a leading `/` or `./` anchors: only the one next to this file
//! "*.dev.Dockerfile" = ["HC006"]   # no `/` in the glob: matches the file name at any depth
//!
//! [rules.HC010]                    # or [rules.install-sprawl]
//! max-install-runs = 4
//!
//! [label-schema]                   # DL3049, DL3051-DL3058: name = text|url|semver|hash|rfc3339|spdx|email
//! maintainer = "email"
//!
//! [catalog]                        # extra knowledge, same schema as rules/catalog/*.toml,
//! images = "ci/images.toml"        # paths relative to this file's directory
//! packages = "ci/packages.toml"
//!
//! [format]                         # the layout of `dlayer fmt` (and of editors' formatting)
//! indent-width = 4                 # spaces per continuation level
//! operator-position = "leading"    # && || | at the start of broken lines, or "trailing"
//! package-lists = "one-per-line"   # long apt-get install lists one package per line, or "keep"
//! sort-packages = false            # sort apt-get install lists
//! line-width = 100                 # a one-line package list longer than this is broken
//! ```
//!
//! DL1000 (`syntax-error`) can be neither ignored nor re-levelled: naming it in `ignore`,
//! `per-file-ignores` or `[severity]` is an error. `select` never drops the syntax findings
//! (DL1000, E001); E001 can be ignored explicitly.
//!
//! # `.hadolint.yaml`
//!
//! hadolint's keys (hadolint.md §5.4): `ignored`, `override: {error, warning, info, style}`,
//! `trustedRegistries` (a string or a list), `label-schema`, `strict-labels`,
//! `failure-threshold`, `no-fail`, `no-color`, `disable-ignore-pragma`, `format`, `formats`,
//! `verbose`. Differences from hadolint: unknown keys and bad values are errors with a position
//! (hadolint prints a message and goes on with an empty config); rule codes are checked like
//! dlayer's selectors; a key with no value (`ignored:` with its items commented out) counts as
//! unset. `failure-threshold: none` / `ignore` fail on every finding, as in hadolint
//! ([`Threshold::parse_hadolint`]). `no-color`, `format(s)` and `verbose` are only recorded
//! ([`Config::no_color`], [`Config::formats`], [`Config::verbose`]) for the CLI to honour.

mod discovery;
mod dlayer_toml;
mod hadolint;
mod selector;

use std::fmt;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::rules::Severity;

pub use discovery::{DLAYER_FILE_NAMES, Discovery, HADOLINT_FILE_NAMES, hadolint_user_config};
pub use hadolint::{HADOLINT_FORMATS, from_hadolint_env};
pub use selector::{
    matches as selector_matches, specificity as selector_specificity, validate as validate_selector,
};

/// Where a [`Config`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfigKind {
    /// `dlayer.toml` or `.dlayer.toml`.
    Dlayer,
    /// `.hadolint.yaml` or `.hadolint.yml`.
    Hadolint,
    /// hadolint's `HADOLINT_*` / `NO_COLOR` environment variables ([`from_hadolint_env`]).
    Environment,
}

/// When findings make the run fail.
///
/// dlayer's vocabulary: a finding fails the run when its severity is at or above the threshold;
/// `None` means *never fail on findings* (syntax errors and unreadable files still do, as the
/// CLI decides).
///
/// hadolint's `failure-threshold: none` and `ignore` mean the opposite, "fail on everything,
/// style included" (hadolint.md §5.3), so [`Threshold::parse_hadolint`] maps them to `Style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl Threshold {
    /// dlayer's spelling: `error`, `warning`, `info`, `style`, `none` (case-insensitive).
    pub fn parse(text: &str) -> Option<Threshold> {
        match text.to_ascii_lowercase().as_str() {
            "none" => Some(Threshold::None),
            other => Severity::parse(other).map(Threshold::from),
        }
    }

    /// hadolint's spelling: as [`Threshold::parse`], but `none` and `ignore` fail on every
    /// finding (`Style`), as hadolint does.
    pub fn parse_hadolint(text: &str) -> Option<Threshold> {
        match text.to_ascii_lowercase().as_str() {
            "none" | "ignore" => Some(Threshold::Style),
            other => Severity::parse(other).map(Threshold::from),
        }
    }

    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            Threshold::None => false,
            Threshold::Error => severity >= Severity::Error,
            Threshold::Warning => severity >= Severity::Warning,
            Threshold::Info => severity >= Severity::Info,
            Threshold::Style => true,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Threshold::Error => "error",
            Threshold::Warning => "warning",
            Threshold::Info => "info",
            Threshold::Style => "style",
            Threshold::None => "none",
        }
    }
}

impl From<Severity> for Threshold {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => Threshold::Error,
            Severity::Warning => Threshold::Warning,
            Severity::Info => Threshold::Info,
            Severity::Style => Threshold::Style,
        }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path glob with the matching rules of `[per-file-ignores]` (its rules empty): the
/// `include`/`exclude` globs of file discovery.
pub type PathGlob = PerFileIgnore;

/// One `[per-file-ignores]` entry: a glob and the rules it turns off for matching files.
#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    /// The glob as written.
    pub pattern: String,
    /// Rule selectors.
    pub rules: Vec<String>,
    /// The directory the glob is relative to (absolute, normalised).
    base: PathBuf,
    matcher: GlobMatcher,
    /// No `/` in the glob: it is matched against the file name only.
    file_name_only: bool,
}

impl PerFileIgnore {
    /// A glob relative to `base` (a directory; made absolute). A glob without `/` matches the
    /// file name at any depth; any other is matched against the path relative to `base`
    /// (`*` and `?` stop at `/`, `**` crosses directories, a leading `./` or `/` anchors the
    /// glob at `base`: `/Dockerfile` is only the one next to the config).
    /// `Err` is the glob's syntax error. The selectors are not validated here.
    pub fn new(pattern: &str, base: &Path, rules: Vec<String>) -> Result<PerFileIgnore, String> {
        // `./x` and `/x` are anchored at `base`, like `dir/x`.
        let anchored = pattern.contains('/');
        let trimmed = pattern.strip_prefix("./").unwrap_or(pattern);
        let trimmed = trimmed.strip_prefix('/').unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Err("empty glob".to_string());
        }
        let glob = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|error| format!("invalid glob `{pattern}`: {}", error.kind()))?;
        Ok(PerFileIgnore {
            pattern: pattern.to_string(),
            rules,
            base: normalize(&absolute(base)),
            matcher: glob.compile_matcher(),
            file_name_only: !anchored,
        })
    }

    /// Whether the glob matches `file` (relative paths are taken from the current directory).
    pub fn matches_file(&self, file: &Path) -> bool {
        self.matches_normalized(&normalize(&absolute(file)))
    }

    /// [`PerFileIgnore::matches_file`] for an absolute, normalised path.
    fn matches_normalized(&self, file: &Path) -> bool {
        if self.file_name_only {
            return file
                .file_name()
                .is_some_and(|name| self.matcher.is_match(Path::new(name)));
        }
        match file.strip_prefix(&self.base) {
            Ok(relative) => {
                let text: Vec<String> = relative
                    .components()
                    .map(|component| component.as_os_str().to_string_lossy().into_owned())
                    .collect();
                self.matcher.is_match(text.join("/"))
            }
            Err(_) => false,
        }
    }

    /// The directory the glob is relative to.
    pub fn base(&self) -> &Path {
        &self.base
    }
}

/// A configuration file, parsed and validated.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it came from (for [`ConfigKind::Environment`]: `<environment>`).
    pub path: PathBuf,
    pub kind: ConfigKind,
    /// Only these rules (`None` = all). Syntax findings (DL1000, E001) are always selected.
    pub select: Option<Vec<String>>,
    /// Never these rules. Wins over `select`. DL1000 is never ignored.
    pub ignore: Vec<String>,
    /// Severity overrides, in file order: the most specific selector wins (exact code or name,
    /// then the longest prefix), the last one among equals.
    pub severity: Vec<(String, Severity)>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    pub failure_threshold: Option<Threshold>,
    pub no_fail: Option<bool>,
    /// HC010 (install-sprawl): how many OS-package-install RUNs one stage may have.
    pub max_install_runs: Option<usize>,
    /// DL3026: allowed registries (`docker.io`, `*.example.com`, `*`).
    pub trusted_registries: Vec<String>,
    /// DL3049, DL3051-DL3058: required labels and their types.
    pub label_schema: std::collections::BTreeMap<String, String>,
    /// DL3050: no labels beyond the schema.
    pub strict_labels: Option<bool>,
    /// Inline and global ignore pragmas are not honoured.
    pub disable_ignore_pragma: Option<bool>,
    /// Extra image catalog (TOML text, the schema of rules/catalog/images.toml), read from the
    /// `[catalog] images` path and already validated.
    pub catalog_images: Option<String>,
    /// Extra package catalog (TOML text, the schema of rules/catalog/packages.toml).
    pub catalog_packages: Option<String>,
    /// Where `catalog_images` was read from.
    pub catalog_images_path: Option<PathBuf>,
    /// Where `catalog_packages` was read from.
    pub catalog_packages_path: Option<PathBuf>,
    /// hadolint only (`no-color`, `NO_COLOR`): read and validated, for the CLI to honour.
    pub no_color: Option<bool>,
    /// hadolint only (`format`, `formats`, `HADOLINT_FORMAT`): hadolint format names, read
    /// and validated against [`HADOLINT_FORMATS`], for the CLI to honour or reject.
    pub formats: Vec<String>,
    /// hadolint only (`verbose`, `HADOLINT_VERBOSE`).
    pub verbose: Option<bool>,
    /// `shellcheck = true`: run ShellCheck on the RUN scripts of the files this applies to.
    pub shellcheck: Option<bool>,
    /// `[format]`: the layout of `dlayer fmt` (`None`: the default layout).
    pub format: Option<crate::format::Options>,
    /// `include`: more names to look for in directories (globs relative to this file).
    pub include: Vec<PathGlob>,
    /// `exclude`: files and directories discovery leaves out (globs relative to this file).
    pub exclude: Vec<PathGlob>,
    /// `max-file-size`: a larger file is reported, not read (bytes).
    pub max_file_size: Option<u64>,
    /// What is wrong but does not stop the config from being used (an unknown
    /// `.hadolint.yaml` key, which hadolint ignores), for the CLI to print once.
    pub warnings: Vec<ConfigError>,
}

impl Config {
    /// An empty configuration (every rule on, nothing overridden).
    pub fn new(path: impl Into<PathBuf>, kind: ConfigKind) -> Config {
        Config {
            path: path.into(),
            kind,
            select: None,
            ignore: Vec::new(),
            severity: Vec::new(),
            per_file_ignores: Vec::new(),
            failure_threshold: None,
            no_fail: None,
            max_install_runs: None,
            trusted_registries: Vec::new(),
            label_schema: Default::default(),
            strict_labels: None,
            disable_ignore_pragma: None,
            catalog_images: None,
            catalog_packages: None,
            catalog_images_path: None,
            catalog_packages_path: None,
            no_color: None,
            formats: Vec::new(),
            verbose: None,
            shellcheck: None,
            format: None,
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: None,
            warnings: Vec::new(),
        }
    }

    /// The directory relative paths in this config are resolved against: the config file's
    /// directory, absolute.
    pub fn dir(&self) -> PathBuf {
        let path = normalize(&absolute(&self.path));
        path.parent().map(Path::to_path_buf).unwrap_or(path)
    }

    /// Whether findings of the rule `rule_code`/`rule_name` in `file` are dropped: the rule is
    /// ignored, ignored for this file by a per-file glob, or not selected. DL1000 never is;
    /// `select` never drops the syntax findings (DL1000, E001).
    pub fn is_ignored_for(&self, rule_code: &str, rule_name: &str, file: &Path) -> bool {
        if selector::is_unsilenceable(rule_code) {
            return false;
        }
        if selector::any_matches(&self.ignore, rule_code, rule_name) {
            return true;
        }
        let mut normalized: Option<PathBuf> = None;
        for entry in &self.per_file_ignores {
            if selector::any_matches(&entry.rules, rule_code, rule_name) {
                let file = normalized.get_or_insert_with(|| normalize(&absolute(file)));
                if entry.matches_normalized(file) {
                    return true;
                }
            }
        }
        match &self.select {
            Some(select) => {
                !selector::is_syntax_rule(rule_code)
                    && !selector::any_matches(select, rule_code, rule_name)
            }
            None => false,
        }
    }

    /// The configured severity of the rule, if overridden. DL1000 never is.
    pub fn severity_for(&self, code: &str, name: &str) -> Option<Severity> {
        if selector::is_unsilenceable(code) {
            return None;
        }
        let mut best: Option<(usize, Severity)> = None;
        for (selector, severity) in &self.severity {
            let Some(rank) = selector::specificity(selector, code, name) else {
                continue;
            };
            if best.is_none_or(|(best_rank, _)| rank >= best_rank) {
                best = Some((rank, *severity));
            }
        }
        best.map(|(_, severity)| severity)
    }

    /// `self` layered over `lower`, with hadolint's precedence (hadolint.md §5.6): scalars
    /// come from `self` when set, lists are concatenated (`lower`'s first, so `self`'s severity
    /// overrides win ties), `select` is `self`'s when set. Path and kind are `self`'s.
    pub fn merged_over(self, lower: &Config) -> Config {
        fn concat<T: Clone>(lower: &[T], upper: Vec<T>) -> Vec<T> {
            let mut all = lower.to_vec();
            all.extend(upper);
            all
        }
        let mut label_schema = lower.label_schema.clone();
        label_schema.extend(self.label_schema);
        let (catalog_images, catalog_images_path) = match self.catalog_images {
            Some(text) => (Some(text), self.catalog_images_path),
            None => (
                lower.catalog_images.clone(),
                lower.catalog_images_path.clone(),
            ),
        };
        let (catalog_packages, catalog_packages_path) = match self.catalog_packages {
            Some(text) => (Some(text), self.catalog_packages_path),
            None => (
                lower.catalog_packages.clone(),
                lower.catalog_packages_path.clone(),
            ),
        };
        Config {
            path: self.path,
            kind: self.kind,
            select: self.select.or_else(|| lower.select.clone()),
            ignore: concat(&lower.ignore, self.ignore),
            severity: concat(&lower.severity, self.severity),
            per_file_ignores: concat(&lower.per_file_ignores, self.per_file_ignores),
            failure_threshold: self.failure_threshold.or(lower.failure_threshold),
            no_fail: self.no_fail.or(lower.no_fail),
            max_install_runs: self.max_install_runs.or(lower.max_install_runs),
            trusted_registries: concat(&lower.trusted_registries, self.trusted_registries),
            label_schema,
            strict_labels: self.strict_labels.or(lower.strict_labels),
            disable_ignore_pragma: self.disable_ignore_pragma.or(lower.disable_ignore_pragma),
            catalog_images,
            catalog_packages,
            catalog_images_path,
            catalog_packages_path,
            no_color: self.no_color.or(lower.no_color),
            formats: if self.formats.is_empty() {
                lower.formats.clone()
            } else {
                self.formats
            },
            verbose: self.verbose.or(lower.verbose),
            shellcheck: self.shellcheck.or(lower.shellcheck),
            format: self.format.or_else(|| lower.format.clone()),
            include: concat(&lower.include, self.include),
            exclude: concat(&lower.exclude, self.exclude),
            max_file_size: self.max_file_size.or(lower.max_file_size),
            warnings: concat(&lower.warnings, self.warnings),
        }
    }
}

/// A configuration that cannot be used: which file, where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file (or a catalog file it names, or an environment variable's name).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    pub message: String,
}

impl ConfigError {
    /// An error about the whole file (no position).
    pub(crate) fn file(path: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at byte `offset` of `source`.
    pub(crate) fn at_offset(
        path: &Path,
        source: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, column) = line_column(source, offset);
        ConfigError {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    /// `path:line:column: message` (or `path: message` without a position).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Reads one config file, by name: `*.toml` is a dlayer config, `*.yaml`/`*.yml` a hadolint
/// config; anything else is an error.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let extension = path
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
    let parse = match extension.as_deref() {
        Some("toml") => dlayer_toml::parse,
        Some("yaml" | "yml") => hadolint::parse,
        _ => {
            return Err(ConfigError::file(
                path,
                "unknown config file type: expected a dlayer `.toml` or a hadolint `.yaml`/`.yml` file",
            ));
        }
    };
    let bytes = std::fs::read(path)
        .map_err(|error| ConfigError::file(path, format!("cannot read config: {error}")))?;
    let source = String::from_utf8(bytes)
        .map_err(|_| ConfigError::file(path, "config is not valid UTF-8"))?;
    let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
    parse(path, source)
}

/// 1-based line and column (in characters) of byte `offset`.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// `path` made absolute against the current directory (without touching the file system
/// beyond that).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `.` removed and `..` resolved lexically.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Labels types hadolint's `label-schema` accepts.
pub const LABEL_TYPES: &[&str] = &["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(Threshold::parse("none"), Some(Threshold::None));
        assert_eq!(Threshold::parse("ignore"), None);
        assert_eq!(Threshold::parse_hadolint("ignore"), Some(Threshold::Style));
        assert_eq!(Threshold::parse_hadolint("NONE"), Some(Threshold::Style));
        assert!(!Threshold::None.fails(Severity::Error));
        assert!(Threshold::Style.fails(Severity::Style));
        assert!(Threshold::Warning.fails(Severity::Error));
        assert!(!Threshold::Warning.fails(Severity::Info));
    }

    #[test]
    fn positions() {
        assert_eq!(line_column("a\nbé\nc", 0), (1, 1));
        assert_eq!(line_column("a\nbé\nc", 5), (2, 3));
        assert_eq!(line_column("a\nbé\nc", 6), (3, 1));
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
