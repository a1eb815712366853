//! `dlayer.toml` / `.dlayer.toml` (schema in the module doc of [`super`]).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::selector;
use super::{Config, ConfigError, ConfigKind, LABEL_TYPES, PathGlob, PerFileIgnore, Threshold};
use crate::format::{OperatorPosition, Options as FormatOptions, PackageLists};
use crate::model::Catalog;
use crate::model::catalog::IMAGES_FILE;
use crate::rules::{Severity, find_rule, heavy};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    failure_threshold: Option<Spanned<String>>,
    no_fail: Option<bool>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    rules: Option<BTreeMap<Spanned<String>, RuleOptions>>,
    trusted_registries: Option<Vec<Spanned<String>>>,
    label_schema: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    strict_labels: Option<bool>,
    disable_ignore_pragma: Option<bool>,
    shellcheck: Option<bool>,
    catalog: Option<CatalogFiles>,
    format: Option<FormatSection>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    max_file_size: Option<Spanned<i64>>,
}

/// `[format]`: the layout `dlayer fmt` writes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FormatSection {
    indent_width: Option<Spanned<i64>>,
    operator_position: Option<Spanned<String>>,
    package_lists: Option<Spanned<String>>,
    sort_packages: Option<bool>,
    line_width: Option<Spanned<i64>>,
}

/// `[rules.<code-or-name>]`: every rule option; each belongs to one rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleOptions {
    max_install_runs: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFiles {
    images: Option<Spanned<String>>,
    packages: Option<Spanned<String>>,
}

struct Parser<'a> {
    path: &'a Path,
    source: &'a str,
}

impl Parser<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at_offset(self.path, self.source, span.start, message)
    }

    /// Validated selectors. DL1000 is refused where `refuse_syntax_error` says what for.
    fn selectors(
        &self,
        list: Vec<Spanned<String>>,
        refuse_syntax_error: Option<&str>,
    ) -> Result<Vec<String>, ConfigError> {
        list.into_iter()
            .map(|item| {
                let span = item.span();
                let text = item.into_inner();
                selector::validate(&text).map_err(|message| self.error(span.clone(), message))?;
                if let Some(what) = refuse_syntax_error.filter(|_| selector::names_syntax_error(&text)) {
                    return Err(self.error(
                        span,
                        format!("DL1000 (syntax-error) cannot be {what}: a Dockerfile BuildKit rejects is always reported"),
                    ));
                }
                Ok(text)
            })
            .collect()
    }

    /// One selector (a table key).
    fn selector(
        &self,
        key: Spanned<String>,
        refuse_syntax_error: Option<&str>,
    ) -> Result<String, ConfigError> {
        Ok(self.selectors(vec![key], refuse_syntax_error)?.remove(0))
    }
}

/// serde's wording made dlayer's: `unknown field` → `unknown key` with a suggestion, and
/// "sequence" → "list".
fn polish(message: &str) -> String {
    let message = message.trim_end();
    if message.starts_with("unknown field `") {
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let [name, expected @ ..] = quoted.as_slice() {
            let mut out = format!("unknown key `{name}`");
            if let Some(close) = crate::syntax::suggest::closest(name, expected.iter()) {
                out.push_str(&format!(" (did you mean `{close}`?)"));
            }
            if !expected.is_empty() {
                out.push_str(&format!("; expected one of: {}", expected.join(", ")));
            }
            return out;
        }
    }
    message
        .replace("a sequence", "a list")
        .replace("a map", "a table")
}

/// Table entries in file order (the map sorts them by key).
fn in_file_order<K, V>(map: BTreeMap<Spanned<K>, V>) -> Vec<(Spanned<K>, V)>
where
    K: Ord,
{
    let mut entries: Vec<_> = map.into_iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

pub(super) fn parse(path: &Path, source: &str) -> Result<Config, ConfigError> {
    let file: File = toml::from_str(source).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        ConfigError::at_offset(path, source, offset, polish(error.message()))
    })?;
    let parser = Parser { path, source };
    let mut config = Config::new(path, ConfigKind::Dlayer);
    let dir = config.dir();

    if let Some(select) = file.select {
        config.select = Some(parser.selectors(select, None)?);
    }
    if let Some(ignore) = file.ignore {
        config.ignore = parser.selectors(ignore, Some("ignored"))?;
    }
    if let Some(threshold) = file.failure_threshold {
        let span = threshold.span();
        config.failure_threshold = Some(Threshold::parse(threshold.get_ref()).ok_or_else(|| {
            parser.error(
                span,
                format!(
                    "unknown failure threshold `{}`: expected error, warning, info, style or none (none: never fail on findings)",
                    threshold.get_ref()
                ),
            )
        })?);
    }
    config.no_fail = file.no_fail;

    for (key, value) in in_file_order(file.severity.unwrap_or_default()) {
        let selector = parser.selector(key, Some("re-levelled"))?;
        let span = value.span();
        let severity = Severity::parse(value.get_ref()).ok_or_else(|| {
            parser.error(
                span,
                format!(
                    "unknown severity `{}`: expected error, warning, info or style (to turn a rule off, list it in `ignore`)",
                    value.get_ref()
                ),
            )
        })?;
        config.severity.push((selector, severity));
    }

    for (key, rules) in in_file_order(file.per_file_ignores.unwrap_or_default()) {
        let span = key.span();
        let rules = parser.selectors(rules, Some("ignored"))?;
        let entry = PerFileIgnore::new(key.get_ref(), &dir, rules)
            .map_err(|message| parser.error(span, message))?;
        config.per_file_ignores.push(entry);
    }

    let mut configured: Vec<&str> = Vec::new();
    for (key, options) in in_file_order(file.rules.unwrap_or_default()) {
        let span = key.span();
        let text = key.into_inner();
        let rule = match find_rule(&text) {
            Some(rule) => rule,
            None => {
                let message = match selector::validate(&text) {
                    Ok(()) => format!(
                        "`[rules.{text}]` must name one rule by its code or name, and one that has options"
                    ),
                    Err(message) => message,
                };
                return Err(parser.error(span, message));
            }
        };
        if configured.contains(&rule.meta.code) {
            return Err(parser.error(
                span,
                format!(
                    "options of {} ({}) are set twice",
                    rule.meta.code, rule.meta.name
                ),
            ));
        }
        configured.push(rule.meta.code);
        if let Some(limit) = options.max_install_runs {
            let install_sprawl = heavy::install_sprawl::RULE.meta;
            if rule.meta.code != install_sprawl.code {
                return Err(parser.error(
                    limit.span(),
                    format!(
                        "`max-install-runs` is an option of {} ({}), not of {} ({})",
                        install_sprawl.code, install_sprawl.name, rule.meta.code, rule.meta.name
                    ),
                ));
            }
            let value = *limit.get_ref();
            if value < 1 {
                return Err(parser.error(
                    limit.span(),
                    format!("`max-install-runs` must be at least 1, not {value}"),
                ));
            }
            config.max_install_runs = Some(value as usize);
        }
    }

    for registry in file.trusted_registries.unwrap_or_default() {
        let text = registry.get_ref();
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            return Err(parser.error(
                registry.span(),
                format!("invalid registry `{text}`: expected a host name, `*.domain` or `*`"),
            ));
        }
        config.trusted_registries.push(registry.into_inner());
    }

    for (name, kind) in in_file_order(file.label_schema.unwrap_or_default()) {
        if name.get_ref().is_empty() {
            return Err(parser.error(name.span(), "empty label name"));
        }
        if !LABEL_TYPES.contains(&kind.get_ref().as_str()) {
            return Err(parser.error(
                kind.span(),
                format!(
                    "unknown label type `{}`: expected one of {}",
                    kind.get_ref(),
                    LABEL_TYPES.join(", ")
                ),
            ));
        }
        config
            .label_schema
            .insert(name.into_inner(), kind.into_inner());
    }
    config.strict_labels = file.strict_labels;
    config.disable_ignore_pragma = file.disable_ignore_pragma;
    config.shellcheck = file.shellcheck;

    for (list, globs) in [
        (&mut config.include, file.include),
        (&mut config.exclude, file.exclude),
    ] {
        for glob in globs.unwrap_or_default() {
            let entry = PathGlob::new(glob.get_ref(), &dir, Vec::new())
                .map_err(|message| parser.error(glob.span(), message))?;
            list.push(entry);
        }
    }
    if let Some(size) = file.max_file_size {
        let bytes = *size.get_ref();
        if bytes < 1 {
            return Err(parser.error(
                size.span(),
                format!("`max-file-size` must be at least 1 byte, not {bytes}"),
            ));
        }
        config.max_file_size = Some(bytes as u64);
    }

    if let Some(catalog) = file.catalog {
        read_catalogs(&parser, &mut config, catalog)?;
    }
    if let Some(format) = file.format {
        config.format = Some(format_options(&parser, format)?);
    }
    Ok(config)
}

/// `[format]` over the default layout.
fn format_options(
    parser: &Parser<'_>,
    section: FormatSection,
) -> Result<FormatOptions, ConfigError> {
    let mut options = FormatOptions::default();
    let number = |value: Spanned<i64>, key: &str, range: std::ops::RangeInclusive<i64>| {
        let number = *value.get_ref();
        if range.contains(&number) {
            Ok(number as usize)
        } else {
            Err(parser.error(
                value.span(),
                format!(
                    "`{key}` must be between {} and {}, not {number}",
                    range.start(),
                    range.end()
                ),
            ))
        }
    };
    if let Some(width) = section.indent_width {
        options.indent_width = number(width, "indent-width", 1..=16)?;
    }
    if let Some(width) = section.line_width {
        options.line_width = number(width, "line-width", 20..=1000)?;
    }
    if let Some(position) = section.operator_position {
        options.operator_position = match position.get_ref().as_str() {
            "leading" => OperatorPosition::Leading,
            "trailing" => OperatorPosition::Trailing,
            other => {
                return Err(parser.error(
                    position.span(),
                    format!("unknown operator position `{other}`: expected leading or trailing"),
                ));
            }
        };
    }
    if let Some(lists) = section.package_lists {
        options.package_lists = match lists.get_ref().as_str() {
            "one-per-line" => PackageLists::OnePerLine,
            "keep" => PackageLists::Keep,
            other => {
                return Err(parser.error(
                    lists.span(),
                    format!("unknown package-lists value `{other}`: expected one-per-line or keep"),
                ));
            }
        };
    }
    if let Some(sort) = section.sort_packages {
        options.sort_packages = sort;
    }
    Ok(options)
}

/// Reads `[catalog]` files (relative to the config's directory) and validates them.
fn read_catalogs(
    parser: &Parser<'_>,
    config: &mut Config,
    catalog: CatalogFiles,
) -> Result<(), ConfigError> {
    let base = parser.path.parent().unwrap_or(Path::new(""));
    let read = |entry: Option<Spanned<String>>| -> Result<Option<(PathBuf, String)>, ConfigError> {
        let Some(entry) = entry else {
            return Ok(None);
        };
        let path = base.join(entry.get_ref());
        let text = std::fs::read_to_string(&path).map_err(|error| {
            parser.error(
                entry.span(),
                format!("cannot read catalog `{}`: {error}", path.display()),
            )
        })?;
        Ok(Some((path, text)))
    };
    let images = read(catalog.images)?;
    let packages = read(catalog.packages)?;
    Catalog::from_toml(
        images.as_ref().map(|(_, text)| text.as_str()),
        packages.as_ref().map(|(_, text)| text.as_str()),
    )
    .map_err(|error| {
        let file = if error.file == IMAGES_FILE {
            &images
        } else {
            &packages
        };
        ConfigError {
            path: file
                .as_ref()
                .map_or_else(|| PathBuf::from(&error.file), |(path, _)| path.clone()),
            line: error.line,
            column: error.column,
            message: error.message,
        }
    })?;
    if let Some((path, text)) = images {
        config.catalog_images_path = Some(path);
        config.catalog_images = Some(text);
    }
    if let Some((path, text)) = packages {
        config.catalog_packages_path = Some(path);
        config.catalog_packages = Some(text);
    }
    Ok(())
}
