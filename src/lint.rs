//! Linting one file end to end: parse, model, rules, pragmas, configuration and command-line
//! selection, severity overrides.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::config::{Config, selector_matches, selector_specificity};
use crate::model::{self, Catalog};
use crate::rules::buildkit::{DockerIgnore, twins};
use crate::rules::{
    self, BuildInputs, Diagnostic, Family, Pragmas, SYNTAX_ERROR, Settings, Severity,
};
use crate::shellcheck::{self, Script, ShellCheck};
use crate::syntax::{self, LineIndex, Span};

/// What the command line asks for, on top of the configuration file.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Only these rules (codes, names or code prefixes); empty: the configuration decides.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--error CODE` and friends: they win over the configuration.
    pub severity: Vec<(String, Severity)>,
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    /// `--disable-ignore-pragma`: inline and global ignore pragmas are not honoured.
    pub disable_ignore_pragma: bool,
    /// `--shellcheck`: run ShellCheck on every file (a configuration's `shellcheck = true`
    /// turns it on for the files it applies to).
    pub shellcheck: bool,
    /// The ShellCheck binary found for the run; without one, ShellCheck is not run.
    pub shellcheck_program: Option<ShellCheck>,
    /// `--context DIR`: the build context whose ignore file BK018 reads (default: each
    /// Dockerfile's directory).
    pub context: Option<std::path::PathBuf>,
    /// `--platform`: the platform the build targets (BK019).
    pub platform: Option<String>,
    /// What each build context holds, looked up once per directory for a run over many files
    /// (`None`: the file system is asked for each file, as a long-running server must).
    pub context_cache: Option<std::sync::Arc<ContextCache>>,
}

/// What the lint reads from a Dockerfile's directory and build context besides the file (the
/// ignore files, the sensitive names at the context's root), looked up once per directory: a
/// run over a directory of thousands of Dockerfiles would otherwise ask the file system a
/// dozen questions per file, as many system calls as reading the files takes several times.
#[derive(Default)]
pub struct ContextCache {
    directories: std::sync::Mutex<HashMap<PathBuf, Arc<Directory>>>,
}

impl std::fmt::Debug for ContextCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContextCache")
    }
}

/// One directory as the lint sees it; `None` when it cannot be listed (then every question
/// goes to the file system, as without a cache).
#[derive(Default)]
struct Directory {
    listing: Option<Listing>,
    /// `.dockerignore` in it, parsed once (when it is the build context).
    dockerignore: OnceLock<Option<DockerIgnore>>,
}

struct Listing {
    /// The names in the directory that a lookup may ask about: `*.dockerignore` and the
    /// sensitive names. A name listed is still checked the way the uncached lookup checks
    /// it (a dangling link does not exist, an unreadable file is no ignore file).
    names: HashSet<std::ffi::OsString>,
}

impl Directory {
    fn list(path: &Path) -> Directory {
        let listing = std::fs::read_dir(path).ok().map(|entries| Listing {
            names: entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name())
                .filter(|name| {
                    let text = name.to_string_lossy();
                    text.ends_with(".dockerignore")
                        || rules::security::sensitive_file_copied::CONTEXT_ROOT_NAMES
                            .contains(&text.as_ref())
                })
                .collect(),
        });
        Directory {
            listing,
            dockerignore: OnceLock::new(),
        }
    }

    /// Whether `name` may exist in the directory (false only when the listing says it does
    /// not).
    fn may_hold(&self, name: &std::ffi::OsStr) -> bool {
        self.listing
            .as_ref()
            .is_none_or(|listing| listing.names.contains(name))
    }
}

impl ContextCache {
    fn directory(&self, path: &Path) -> Arc<Directory> {
        let mut directories = self
            .directories
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Looked up by reference: the path is copied only for a directory not seen before.
        if let Some(directory) = directories.get(path) {
            return Arc::clone(directory);
        }
        let directory = Arc::new(Directory::list(path));
        directories.insert(path.to_path_buf(), Arc::clone(&directory));
        directory
    }
}

/// The build argument that replaces the `# check=` directive.
pub const CHECK_BUILD_ARG: &str = "BUILDKIT_DOCKERFILE_CHECK";

/// The result for one file.
pub struct Linted {
    pub source: String,
    /// The line index of `source`.
    pub lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
    /// What went wrong running ShellCheck (the lint itself went on).
    pub shellcheck_errors: Vec<String>,
    /// Codes of ignore pragmas that name no rule: the comment's span and the code.
    pub unknown_pragma_codes: Vec<(Span, String)>,
}

fn any_matches(selectors: &[String], code: &str, name: &str) -> bool {
    selectors
        .iter()
        .any(|selector| selector_matches(selector, code, name))
}

fn family_of(code: &str) -> Family {
    if shellcheck::is_code(code) {
        return Family::ShellCheck;
    }
    rules::find_rule(code).map_or(Family::Heavy, |rule| rule.meta.family)
}

/// Whether ShellCheck runs on a file: asked for on the command line or in its configuration.
pub fn wants_shellcheck(options: &LintOptions, config: Option<&Config>) -> bool {
    options.shellcheck || config.is_some_and(|c| c.shellcheck == Some(true))
}

/// The rule settings a configuration asks for (its HC010 limit, its extra catalog entries).
/// Computed once per configuration; a bad catalog is an error naming the configuration.
pub fn settings_for(config: Option<&Config>) -> Result<Settings, String> {
    let mut settings = Settings::default();
    let Some(config) = config else {
        return Ok(settings);
    };
    if let Some(limit) = config.max_install_runs {
        settings.max_install_runs = limit;
    }
    settings.trusted_registries = config.trusted_registries.clone();
    settings.label_schema = config.label_schema.clone();
    settings.strict_labels = config.strict_labels.unwrap_or(false);
    if config.catalog_images.is_some() || config.catalog_packages.is_some() {
        let catalog = Catalog::with_user(
            config.catalog_images.as_deref(),
            config.catalog_packages.as_deref(),
        )
        .map_err(|error| format!("{}: catalog: {error}", config.path.display()))?;
        settings.catalog = Some(catalog);
    }
    Ok(settings)
}

/// Lints `bytes` read from `path` with `config` (the file's configuration, if any) and the
/// settings made from it; ShellCheck, when it is on, checks this file's scripts.
pub fn lint_bytes(
    bytes: &[u8],
    path: &Path,
    options: &LintOptions,
    config: Option<&Config>,
    settings: &Settings,
) -> Linted {
    let linted = lint_rules(Cow::Borrowed(bytes), path, options, config, settings);
    let checked = match &options.shellcheck_program {
        Some(program) if !linted.scripts.is_empty() => {
            program.check_scripts(&linted.scripts.iter().collect::<Vec<_>>())
        }
        _ => Vec::new(),
    };
    linted.finish(checked, path, options, config)
}

/// A file the rules have linted. ShellCheck's findings on its `scripts` are still to join
/// ([`RulesLinted::finish`]), so that the scripts of many files can be checked together.
pub struct RulesLinted {
    source: String,
    lines: LineIndex,
    /// Every rule's findings, not yet selected.
    found: Vec<Diagnostic>,
    pragmas: Pragmas,
    use_pragmas: bool,
    /// The scripts for ShellCheck: empty unless ShellCheck is on for this file.
    pub scripts: Vec<Script>,
}

/// What BuildKit would know besides the file read from `path`: the build context's ignore
/// file, the target platform, the `BUILDKIT_DOCKERFILE_CHECK` build argument.
pub fn build_inputs(path: &Path, options: &LintOptions) -> BuildInputs {
    let check = options
        .build_args
        .iter()
        .rev()
        .find(|(name, _)| name == CHECK_BUILD_ARG)
        .map(|(_, value)| value.clone());
    let directory = path.parent().filter(|dir| !dir.as_os_str().is_empty());
    let places = Places {
        path,
        directory: directory.unwrap_or(Path::new(".")),
        context: context_dir(path, options.context.as_deref()),
    };
    // Each directory is looked up once per file (mostly the context is the file's directory).
    let listings = options.context_cache.as_deref().map(|cache| {
        let own = cache.directory(places.directory);
        let context = match &places.context {
            Some(root) if root != places.directory => Some(cache.directory(root)),
            Some(_) => Some(Arc::clone(&own)),
            None => None,
        };
        (own, context)
    });
    let (own, context) = match &listings {
        Some((own, context)) => (Some(own.as_ref()), context.as_deref()),
        None => (None, None),
    };
    BuildInputs {
        dockerignore: read_dockerignore(&places, own, context),
        platform: options.platform.clone(),
        check,
        context_root_files: sensitive_context_files(&places, context),
    }
}

/// Where a Dockerfile's build inputs are looked for.
struct Places<'a> {
    /// The Dockerfile (`-`: standard input).
    path: &'a Path,
    /// Its directory.
    directory: &'a Path,
    /// The build context (see [`context_dir`]).
    context: Option<PathBuf>,
}

/// The build context: `--context`, else the Dockerfile's directory (none for standard input).
fn context_dir(path: &Path, context: Option<&Path>) -> Option<std::path::PathBuf> {
    if let Some(context) = context {
        return Some(context.to_path_buf());
    }
    if path.as_os_str() == "-" {
        return None;
    }
    let directory = path.parent().filter(|dir| !dir.as_os_str().is_empty());
    Some(directory.unwrap_or(Path::new(".")).to_path_buf())
}

/// The sensitive names SEC007 knows that exist at the context's root (`listed`: the root's
/// cached listing, without which the file system is asked).
fn sensitive_context_files(places: &Places<'_>, listed: Option<&Directory>) -> Vec<String> {
    let Some(directory) = &places.context else {
        return Vec::new();
    };
    rules::security::sensitive_file_copied::CONTEXT_ROOT_NAMES
        .iter()
        .filter(|name| listed.is_none_or(|listed| listed.may_hold(name.as_ref())))
        .filter(|name| directory.join(name).exists())
        .map(|name| name.to_string())
        .collect()
}

/// `<Dockerfile>.dockerignore` next to the Dockerfile, else `.dockerignore` at the context
/// root (the Dockerfile's directory unless `--context` says otherwise), as BuildKit looks.
/// `own` and `context` are the cached listings of those directories (none: the file system
/// is asked).
fn read_dockerignore(
    places: &Places<'_>,
    own: Option<&Directory>,
    context: Option<&Directory>,
) -> Option<DockerIgnore> {
    let path = places.path;
    if let (false, Some(name)) = (path.as_os_str() == "-", path.file_name()) {
        let mut own_name = name.to_os_string();
        own_name.push(".dockerignore");
        if own.is_none_or(|listed| listed.may_hold(&own_name))
            && let Some(found) = parse_dockerignore(&places.directory.join(own_name))
        {
            return Some(found);
        }
    }
    let root = places.context.as_ref()?;
    let candidate = root.join(".dockerignore");
    let Some(listed) = context else {
        return parse_dockerignore(&candidate);
    };
    if !listed.may_hold(std::ffi::OsStr::new(".dockerignore")) {
        return None;
    }
    listed
        .dockerignore
        .get_or_init(|| parse_dockerignore(&candidate))
        .clone()
}

/// The ignore file at `path`, if it can be read.
fn parse_dockerignore(path: &Path) -> Option<DockerIgnore> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(DockerIgnore::parse(&path.display().to_string(), &text))
}

/// Parses, models and runs the rules; collects the scripts for ShellCheck when it is on.
pub fn lint_rules(
    bytes: Cow<'_, [u8]>,
    path: &Path,
    options: &LintOptions,
    config: Option<&Config>,
    settings: &Settings,
) -> RulesLinted {
    // Bytes read for the lint become the tree's source without a copy.
    let dockerfile = match bytes {
        Cow::Owned(bytes) => syntax::parse_owned(bytes),
        Cow::Borrowed(bytes) => syntax::parse_bytes(bytes),
    };
    let mut model_options = model::Options {
        build_args: options.build_args.clone(),
        target: options.target.clone(),
        command_views: false,
        implicit_stage: false,
    };
    let catalog = settings
        .catalog
        .as_ref()
        .unwrap_or_else(|| Catalog::builtin());
    let built = model::build_with(&dockerfile, &model_options, catalog);
    // A fragment (instructions before the first FROM): the hadolint rules lint them too.
    let fragment = model::has_instructions_before_from(&dockerfile).then(|| {
        model_options.implicit_stage = true;
        model::build_with(&dockerfile, &model_options, catalog)
    });
    let mut pragmas = rules::parse_pragmas(&dockerfile);
    let build = build_inputs(path, options);
    if let Some(value) = &build.check {
        pragmas.replace_check(value);
    }
    let use_pragmas = !options.disable_ignore_pragma
        && !config
            .and_then(|c| c.disable_ignore_pragma)
            .unwrap_or(false);
    let models = rules::Models {
        built: &built,
        fragment: fragment.as_ref(),
    };
    let found = twins::merge(rules::lint_models(&dockerfile, models, settings, &build));
    let scripts = if options.shellcheck_program.is_some() && wants_shellcheck(options, config) {
        shellcheck::scripts(&dockerfile, &built)
    } else {
        Vec::new()
    };
    RulesLinted {
        lines: dockerfile.lines,
        source: dockerfile.source,
        found,
        pragmas,
        use_pragmas,
        scripts,
    }
}

impl RulesLinted {
    /// Joins ShellCheck's results for `self.scripts` (one per script, in order; empty when
    /// ShellCheck did not run), then applies selection, pragmas and severity overrides.
    pub fn finish(
        self,
        checked: Vec<Result<Vec<Diagnostic>, String>>,
        path: &Path,
        options: &LintOptions,
        config: Option<&Config>,
    ) -> Linted {
        let mut found = self.found;
        let mut shellcheck_errors: Vec<String> = Vec::new();
        if !checked.is_empty() {
            for result in checked {
                match result {
                    Ok(diagnostics) => found.extend(diagnostics),
                    Err(message) if !shellcheck_errors.contains(&message) => {
                        shellcheck_errors.push(message)
                    }
                    Err(_) => {}
                }
            }
            found.sort_by(|a, b| {
                (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
            });
        }
        let pragmas = &self.pragmas;
        // Decided once: in most files no pragma silences anything, and the finding's family
        // (a rule look-up) is then not needed.
        let may_suppress = self.use_pragmas && !pragmas.silence_nothing();
        let selection = Selection {
            path,
            options,
            config,
            pragmas,
        };
        let mut states = DefaultStates::default();
        // Kept in place: the findings, large, are moved only to close the gaps of those hidden.
        let mut diagnostics = found;
        diagnostics.retain_mut(|diagnostic| {
            // A file BuildKit cannot parse is always reported.
            if diagnostic.code == SYNTAX_ERROR.code {
                return true;
            }
            if may_suppress && pragmas.suppresses(diagnostic, family_of(diagnostic.code)) {
                return false;
            }
            match selection.shown_identity(diagnostic, &mut states) {
                Shown::AsIs => true,
                Shown::AsTwin(index) => {
                    twins::promote(diagnostic, index);
                    true
                }
                Shown::Hidden => false,
            }
        });
        // Decided once: mostly nothing overrides a severity.
        let may_override = pragmas.check_errors()
            || !options.severity.is_empty()
            || config.is_some_and(|c| !c.severity.is_empty());
        if may_override {
            for diagnostic in &mut diagnostics {
                if pragmas.check_errors() && has_buildkit_identity(diagnostic) {
                    diagnostic.severity = Severity::Error;
                }
                let overridden = std::iter::once(&*diagnostic)
                    .chain(&diagnostic.twins)
                    .find_map(|identity| severity_override(identity, options, config));
                if let Some(severity) = overridden {
                    diagnostic.severity = severity;
                }
            }
        }
        let unknown_pragma_codes = if self.use_pragmas {
            self.pragmas.unknown
        } else {
            Vec::new()
        };
        Linted {
            source: self.source,
            lines: self.lines,
            diagnostics,
            shellcheck_errors,
            unknown_pragma_codes,
        }
    }
}

/// An off-by-default rule reports only when a selector or severity override names it by code
/// or name (a prefix such as `DL` does not turn it on).
fn explicitly_named(
    code: &str,
    name: &str,
    options: &LintOptions,
    config: Option<&Config>,
) -> bool {
    let exact = |selector: &String| selector_specificity(selector, code, name) == Some(usize::MAX);
    let in_config = config.is_some_and(|c| {
        c.select
            .as_ref()
            .is_some_and(|select| select.iter().any(exact))
            || c.severity.iter().any(|(selector, _)| exact(selector))
    });
    in_config
        || options.select.iter().any(exact)
        || options.severity.iter().any(|(selector, _)| exact(selector))
}

/// What decides whether a file's findings are shown.
struct Selection<'a> {
    path: &'a Path,
    options: &'a LintOptions,
    config: Option<&'a Config>,
    pragmas: &'a Pragmas,
}

/// How the selection shows a finding.
enum Shown {
    AsIs,
    /// Under its twin at this index ([`twins::promote`]).
    AsTwin(usize),
    Hidden,
}

/// The rules' on-by-default states, looked up once per code for a file: its findings come
/// from a few rules, and a registry look-up hashes the code.
#[derive(Default)]
struct DefaultStates(Vec<(&'static str, bool)>);

impl DefaultStates {
    fn enabled(&mut self, code: &'static str) -> bool {
        // Codes are the rules' constants: compared by address, a known one costs no string
        // comparison (a code met at another address is only looked up once more).
        if let Some((_, enabled)) = self.0.iter().find(|(known, _)| std::ptr::eq(*known, code)) {
            return *enabled;
        }
        let enabled = rules::find_rule(code).is_none_or(|rule| rule.meta.default_enabled);
        self.0.push((code, enabled));
        enabled
    }
}

impl Selection<'_> {
    /// The finding as the selection shows it: under its own code when that rule is enabled,
    /// else under the first twin's that is (a BuildKit check folded into its hadolint twin,
    /// shown as the check under `--select BK`); hidden when none is, or when an ignore names
    /// any of them exactly.
    fn shown_identity(&self, diagnostic: &Diagnostic, states: &mut DefaultStates) -> Shown {
        let (options, config) = (self.options, self.config);
        if diagnostic.twins.is_empty() {
            return if self.is_enabled(diagnostic, states) {
                Shown::AsIs
            } else {
                Shown::Hidden
            };
        }
        let exactly_ignored = |identity: &Diagnostic| {
            let exact = |selector: &String| {
                selector_specificity(selector, identity.code, identity.name) == Some(usize::MAX)
            };
            options.ignore.iter().any(exact) || config.is_some_and(|c| c.ignore.iter().any(exact))
        };
        if exactly_ignored(diagnostic) || diagnostic.twins.iter().any(exactly_ignored) {
            return Shown::Hidden;
        }
        if self.is_enabled(diagnostic, states) {
            return Shown::AsIs;
        }
        match diagnostic
            .twins
            .iter()
            .position(|twin| self.is_enabled(twin, states))
        {
            Some(index) => Shown::AsTwin(index),
            None => Shown::Hidden,
        }
    }

    fn is_enabled(&self, diagnostic: &Diagnostic, states: &mut DefaultStates) -> bool {
        let (options, config, path) = (self.options, self.config, self.path);
        let (code, name) = (diagnostic.code, diagnostic.name);
        if any_matches(&options.ignore, code, name) {
            return false;
        }
        if !states.enabled(code)
            && !explicitly_named(code, name, options, config)
            && !self.pragmas.enables_experimental(diagnostic)
        {
            return false;
        }
        if !options.select.is_empty() {
            return any_matches(&options.select, code, name)
                && !config.is_some_and(|c| c.is_ignored_for(code, name, path));
        }
        !config.is_some_and(|c| c.is_ignored_for(code, name, path))
    }
}

/// A BuildKit check reports the finding (itself or as a twin): `# check=error=true` applies.
fn has_buildkit_identity(diagnostic: &Diagnostic) -> bool {
    std::iter::once(diagnostic)
        .chain(&diagnostic.twins)
        .any(|identity| family_of(identity.code) == Family::Buildkit)
}

fn severity_override(
    diagnostic: &Diagnostic,
    options: &LintOptions,
    config: Option<&Config>,
) -> Option<Severity> {
    let (code, name) = (diagnostic.code, diagnostic.name);
    options
        .severity
        .iter()
        .rev()
        .find(|(selector, _)| selector_matches(selector, code, name))
        .map(|(_, severity)| *severity)
        .or_else(|| config.and_then(|c| c.severity_for(code, name)))
}
