//! hadolint's configuration: `.hadolint.yaml` (hadolint.md §5.4) and its environment variables
//! (§5.5), read strictly: bad values are errors with a position; an unknown top-level key is
//! a warning (hadolint ignores it), in [`Config::warnings`].

use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::selector;
use super::{Config, ConfigError, ConfigKind, LABEL_TYPES, Threshold};
use crate::rules::Severity;

/// hadolint's output format names (`-f`, `format:`, `formats:`, `HADOLINT_FORMAT`).
pub const HADOLINT_FORMATS: &[&str] = &[
    "tty",
    "json",
    "checkstyle",
    "codeclimate",
    "gitlab_codeclimate",
    "gnu",
    "codacy",
    "sonarqube",
    "sarif",
    "junit",
];

/// The keys of `.hadolint.yaml`.
const KEYS: &[&str] = &[
    "ignored",
    "override",
    "trustedRegistries",
    "label-schema",
    "strict-labels",
    "failure-threshold",
    "no-fail",
    "no-color",
    "disable-ignore-pragma",
    "format",
    "formats",
    "verbose",
];

/// The levels of `override:`.
const LEVELS: &[&str] = &["error", "warning", "info", "style"];

struct Parser<'a> {
    path: &'a Path,
}

impl Parser<'_> {
    fn error(&self, node: &MarkedYaml<'_>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: self.path.to_path_buf(),
            line: Some(node.span.start.line()),
            column: Some(node.span.start.col() + 1),
            message: message.into(),
        }
    }

    fn expected(&self, node: &MarkedYaml<'_>, key: &str, what: &str) -> ConfigError {
        self.error(
            node,
            format!("`{key}` must be {what}, found {}", describe(node)),
        )
    }

    fn string(&self, node: &MarkedYaml<'_>, key: &str) -> Result<String, ConfigError> {
        match &node.data {
            YamlData::Value(Scalar::String(text)) => Ok(text.to_string()),
            _ => Err(self.expected(node, key, "a string")),
        }
    }

    fn boolean(&self, node: &MarkedYaml<'_>, key: &str) -> Result<bool, ConfigError> {
        match &node.data {
            YamlData::Value(Scalar::Boolean(value)) => Ok(*value),
            _ => Err(self.expected(node, key, "true or false")),
        }
    }

    fn strings(&self, node: &MarkedYaml<'_>, key: &str) -> Result<Vec<String>, ConfigError> {
        match &node.data {
            YamlData::Sequence(items) => items
                .iter()
                .map(|item| match &item.data {
                    YamlData::Value(Scalar::String(text)) => Ok(text.to_string()),
                    _ => Err(self.expected(item, key, "a list of strings")),
                })
                .collect(),
            _ => Err(self.expected(node, key, "a list of strings")),
        }
    }

    /// A list of rule selectors (DL1000 allowed: hadolint accepts it, it just has no effect).
    fn selectors(&self, node: &MarkedYaml<'_>, key: &str) -> Result<Vec<String>, ConfigError> {
        let YamlData::Sequence(items) = &node.data else {
            return Err(self.expected(node, key, "a list of rule codes"));
        };
        items
            .iter()
            .map(|item| {
                let text = match &item.data {
                    YamlData::Value(Scalar::String(text)) => text.to_string(),
                    _ => return Err(self.expected(item, key, "a list of rule codes")),
                };
                selector::validate(&text).map_err(|message| self.error(item, message))?;
                Ok(text)
            })
            .collect()
    }

    fn mapping<'n, 'i>(
        &self,
        node: &'n MarkedYaml<'i>,
        key: &str,
        keys: Option<&[&str]>,
    ) -> Result<Vec<(&'n MarkedYaml<'i>, String, &'n MarkedYaml<'i>)>, ConfigError> {
        let YamlData::Mapping(map) = &node.data else {
            return Err(self.expected(node, key, "a mapping"));
        };
        map.iter()
            .map(|(name_node, value)| {
                let name = match &name_node.data {
                    YamlData::Value(Scalar::String(text)) => text.to_string(),
                    _ => {
                        return Err(self.error(
                            name_node,
                            format!(
                                "keys of `{key}` must be strings, found {}",
                                describe(name_node)
                            ),
                        ));
                    }
                };
                if let Some(keys) = keys.filter(|keys| !keys.contains(&name.as_str())) {
                    return Err(self.error(name_node, unknown_key(key, &name, keys)));
                }
                Ok((name_node, name, value))
            })
            .collect()
    }
}

fn unknown_key(section: &str, name: &str, keys: &[&str]) -> String {
    let mut message = if section.is_empty() {
        format!("unknown key `{name}`")
    } else {
        format!("unknown key `{name}` in `{section}`")
    };
    if let Some(close) = crate::syntax::suggest::closest(name, keys.iter()) {
        message.push_str(&format!(" (did you mean `{close}`?)"));
    }
    message.push_str(&format!("; expected one of: {}", keys.join(", ")));
    message
}

fn describe(node: &MarkedYaml<'_>) -> &'static str {
    match &node.data {
        YamlData::Value(Scalar::Null) => "null",
        YamlData::Value(Scalar::Boolean(_)) => "a boolean",
        YamlData::Value(Scalar::Integer(_)) => "an integer",
        YamlData::Value(Scalar::FloatingPoint(_)) => "a number",
        YamlData::Value(Scalar::String(_)) | YamlData::Representation(..) => "a string",
        YamlData::Sequence(_) => "a list",
        YamlData::Mapping(_) => "a mapping",
        YamlData::Tagged(..) => "a tagged value",
        YamlData::Alias(_) => "an alias",
        YamlData::BadValue => "an invalid value",
    }
}

fn is_null(node: &MarkedYaml<'_>) -> bool {
    matches!(node.data, YamlData::Value(Scalar::Null))
}

pub(super) fn parse(path: &Path, source: &str) -> Result<Config, ConfigError> {
    let documents = MarkedYaml::load_from_str(source).map_err(|error| ConfigError {
        path: path.to_path_buf(),
        line: Some(error.marker().line()),
        column: Some(error.marker().col() + 1),
        message: error.info().to_string(),
    })?;
    let parser = Parser { path };
    let mut config = Config::new(path, ConfigKind::Hadolint);
    if let Some(extra) = documents.get(1) {
        return Err(parser.error(extra, "expected one YAML document, found several"));
    }
    let Some(root) = documents.first() else {
        return Ok(config);
    };
    if is_null(root) {
        return Ok(config);
    }
    let YamlData::Mapping(_) = &root.data else {
        return Err(parser.error(
            root,
            format!("expected a mapping of settings, found {}", describe(root)),
        ));
    };
    for (name_node, key, value) in parser.mapping(root, "", None)? {
        if !KEYS.contains(&key.as_str()) {
            // hadolint ignores keys it does not know: a warning, not a broken config.
            let warning = parser.error(name_node, unknown_key("", &key, KEYS));
            config.warnings.push(warning);
            continue;
        }
        // A key with no value (`ignored:` with its items commented out) is not set.
        if is_null(value) {
            continue;
        }
        let key = key.as_str();
        match key {
            "ignored" => config.ignore.extend(parser.selectors(value, key)?),
            "override" => {
                for (_, level, codes) in parser.mapping(value, key, Some(LEVELS))? {
                    if is_null(codes) {
                        continue;
                    }
                    let severity = Severity::parse(&level).expect("a known level");
                    for code in parser.selectors(codes, &format!("override.{level}"))? {
                        config.severity.push((code, severity));
                    }
                }
            }
            "trustedRegistries" => {
                let registries = match &value.data {
                    YamlData::Value(Scalar::String(text)) => vec![text.to_string()],
                    _ => parser.strings(value, key).map_err(|_| {
                        parser.expected(value, key, "a registry or a list of registries")
                    })?,
                };
                config.trusted_registries.extend(registries);
            }
            "label-schema" => {
                for (_, name, kind) in parser.mapping(value, key, None)? {
                    let text = if is_null(kind) {
                        String::new()
                    } else {
                        parser.string(kind, key)?
                    };
                    let text = if text.is_empty() {
                        "text".to_string()
                    } else {
                        text
                    };
                    if !LABEL_TYPES.contains(&text.as_str()) {
                        return Err(parser.error(
                            kind,
                            format!(
                                "unknown label type `{text}`: expected one of {}",
                                LABEL_TYPES.join(", ")
                            ),
                        ));
                    }
                    config.label_schema.insert(name, text);
                }
            }
            "strict-labels" => config.strict_labels = Some(parser.boolean(value, key)?),
            "failure-threshold" => {
                let text = parser.string(value, key)?;
                config.failure_threshold =
                    Some(Threshold::parse_hadolint(&text).ok_or_else(|| {
                        parser.error(
                            value,
                            format!(
                                "unknown failure threshold `{text}`: expected error, warning, info, style, ignore or none"
                            ),
                        )
                    })?);
            }
            "no-fail" => config.no_fail = Some(parser.boolean(value, key)?),
            "no-color" => config.no_color = Some(parser.boolean(value, key)?),
            "disable-ignore-pragma" => {
                config.disable_ignore_pragma = Some(parser.boolean(value, key)?);
            }
            "verbose" => config.verbose = Some(parser.boolean(value, key)?),
            "format" | "formats" => {
                let (formats, nodes): (Vec<String>, Vec<&MarkedYaml<'_>>) = if key == "format" {
                    (vec![parser.string(value, key)?], vec![value])
                } else {
                    let YamlData::Sequence(items) = &value.data else {
                        return Err(parser.expected(value, key, "a list of formats"));
                    };
                    (parser.strings(value, key)?, items.iter().collect())
                };
                for (format, node) in formats.into_iter().zip(nodes) {
                    if !HADOLINT_FORMATS.contains(&format.as_str()) {
                        return Err(parser.error(
                            node,
                            format!(
                                "unknown format `{format}`: expected one of {}",
                                HADOLINT_FORMATS.join(", ")
                            ),
                        ));
                    }
                    config.formats.push(format);
                }
            }
            _ => unreachable!("keys are checked against KEYS"),
        }
    }
    Ok(config)
}

/// hadolint's truthy spelling for boolean variables.
fn truthy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "y" | "on" | "true" | "yes"
    )
}

fn comma_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// hadolint's environment variables (hadolint.md §5.5) as a config of kind
/// [`ConfigKind::Environment`] whose path is `<environment>`; `None` when none is set.
/// Errors name the variable as their path. Boolean variables are set by a truthy value
/// (`1`, `y`, `on`, `true`, `yes`, any case); `NO_COLOR` by any value. Pass `std::env::vars()`.
///
/// hadolint's precedence is command line > config file > environment, lists concatenated:
/// `file_config.merged_over(&env_config)`.
pub fn from_hadolint_env<I, K, V>(vars: I) -> Result<Option<Config>, ConfigError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut config = Config::new("<environment>", ConfigKind::Environment);
    let mut any = false;
    for (name, value) in vars {
        let (name, value) = (name.as_ref(), value.as_ref());
        let error = |message: String| ConfigError::file(&PathBuf::from(name), message);
        let selectors = |value: &str| -> Result<Vec<String>, ConfigError> {
            comma_list(value)
                .map(|code| {
                    selector::validate(code).map_err(error)?;
                    Ok(code.to_string())
                })
                .collect()
        };
        match name {
            "NO_COLOR" => config.no_color = Some(true),
            "HADOLINT_NOFAIL" => config.no_fail = truthy(value).then_some(true),
            "HADOLINT_VERBOSE" => config.verbose = truthy(value).then_some(true),
            "HADOLINT_STRICT_LABELS" => config.strict_labels = truthy(value).then_some(true),
            "HADOLINT_DISABLE_IGNORE_PRAGMA" => {
                config.disable_ignore_pragma = truthy(value).then_some(true);
            }
            "HADOLINT_FORMAT" => {
                for format in comma_list(value) {
                    if !HADOLINT_FORMATS.contains(&format) {
                        return Err(error(format!(
                            "unknown format `{format}`: expected one of {}",
                            HADOLINT_FORMATS.join(", ")
                        )));
                    }
                    config.formats.push(format.to_string());
                }
            }
            "HADOLINT_FAILURE_THRESHOLD" => {
                config.failure_threshold =
                    Some(Threshold::parse_hadolint(value.trim()).ok_or_else(|| {
                        error(format!(
                            "unknown failure threshold `{value}`: expected error, warning, info, style, ignore or none"
                        ))
                    })?);
            }
            "HADOLINT_OVERRIDE_ERROR"
            | "HADOLINT_OVERRIDE_WARNING"
            | "HADOLINT_OVERRIDE_INFO"
            | "HADOLINT_OVERRIDE_STYLE" => {
                let level = name.trim_start_matches("HADOLINT_OVERRIDE_");
                let severity = Severity::parse(level).expect("a known level");
                for code in selectors(value)? {
                    config.severity.push((code, severity));
                }
            }
            "HADOLINT_IGNORE" => config.ignore.extend(selectors(value)?),
            "HADOLINT_TRUSTED_REGISTRIES" => config
                .trusted_registries
                .extend(comma_list(value).map(str::to_string)),
            "HADOLINT_REQUIRE_LABELS" => {
                for item in comma_list(value) {
                    let (label, kind) = item.split_once(':').unwrap_or((item, ""));
                    let kind = if kind.is_empty() { "text" } else { kind };
                    if label.is_empty() || !LABEL_TYPES.contains(&kind) {
                        return Err(error(format!(
                            "invalid label requirement `{item}`: expected name:type with type one of {}",
                            LABEL_TYPES.join(", ")
                        )));
                    }
                    config
                        .label_schema
                        .insert(label.to_string(), kind.to_string());
                }
            }
            _ => continue,
        }
        any = true;
    }
    Ok(any.then_some(config))
}
