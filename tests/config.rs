//! Configuration: dlayer.toml, .hadolint.yaml, hadolint's environment variables, discovery.
//! Fixtures: testdata/config/ (see its README).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dlayer::config::{
    Config, ConfigKind, Discovery, Threshold, from_hadolint_env, hadolint_user_config, load,
};
use dlayer::rules::Severity;

/// Tests run from the package root, so fixture paths are relative (as users type them).
const FIXTURES: &str = "testdata/config";

fn fixture(path: &str) -> PathBuf {
    Path::new(FIXTURES).join(path)
}

fn load_fixture(path: &str) -> Config {
    load(&fixture(path)).unwrap_or_else(|error| panic!("{error}"))
}

/// A fresh scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dlayer-config-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Every key
// ---------------------------------------------------------------------------------------------

#[test]
fn every_dlayer_key_is_parsed() {
    let config = load_fixture("full/dlayer.toml");
    assert_eq!(config.kind, ConfigKind::Dlayer);
    assert_eq!(config.path, fixture("full/dlayer.toml"));
    assert_eq!(
        config.select,
        Some(strings(&[
            "HC",
            "DL3008",
            "ssh-server",
            "JSONArgsRecommended"
        ]))
    );
    assert_eq!(
        config.ignore,
        strings(&["HC010", "dev-tools-in-production"])
    );
    assert_eq!(config.failure_threshold, Some(Threshold::Warning));
    assert_eq!(config.no_fail, Some(false));
    assert_eq!(
        config.trusted_registries,
        strings(&["docker.io", "*.corp.example"])
    );
    assert_eq!(config.strict_labels, Some(true));
    assert_eq!(config.disable_ignore_pragma, Some(true));
    // file order, not key order
    assert_eq!(
        config.severity,
        vec![
            ("HC006".to_string(), Severity::Error),
            ("DL30".to_string(), Severity::Info),
            ("ssh-server".to_string(), Severity::Style),
        ]
    );
    let per_file: Vec<(&str, Vec<String>)> = config
        .per_file_ignores
        .iter()
        .map(|entry| (entry.pattern.as_str(), entry.rules.clone()))
        .collect();
    assert_eq!(
        per_file,
        vec![
            ("legacy/**", strings(&["HC001"])),
            ("*.dev.Dockerfile", strings(&["HC006", "HC0"])),
        ]
    );
    let base = std::path::absolute(fixture("full")).unwrap();
    assert_eq!(config.per_file_ignores[0].base(), base);
    assert_eq!(config.dir(), base);
    assert_eq!(config.max_install_runs, Some(4));
    assert_eq!(config.label_schema["maintainer"], "email");
    assert_eq!(
        config.label_schema["org.opencontainers.image.source"],
        "url"
    );
    assert!(
        config
            .catalog_images
            .as_deref()
            .unwrap()
            .contains("corp-base")
    );
    assert!(
        config
            .catalog_packages
            .as_deref()
            .unwrap()
            .contains("corp-agentd")
    );
    assert_eq!(
        config.catalog_images_path,
        Some(fixture("full/catalog/images.toml"))
    );
    assert_eq!(
        config.catalog_packages_path,
        Some(fixture("full/catalog/packages.toml"))
    );
    // the catalog text is usable as it is
    let catalog = dlayer::model::Catalog::with_user(
        config.catalog_images.as_deref(),
        config.catalog_packages.as_deref(),
    )
    .unwrap();
    assert!(catalog.image_families().contains(&"corp-base"));
    // hadolint-only keys stay unset
    assert_eq!(
        (config.no_color, config.verbose, config.formats.len()),
        (None, None, 0)
    );
}

#[test]
fn an_empty_dlayer_config_is_valid() {
    let scratch = Scratch::new("empty-toml");
    let config = load(&scratch.write("dlayer.toml", "# nothing yet\n")).unwrap();
    assert_eq!(config.select, None);
    assert!(config.ignore.is_empty() && config.severity.is_empty());
    assert!(!config.is_ignored_for("HC001", "full-os-base", Path::new("Dockerfile")));
}

#[test]
fn every_hadolint_key_is_parsed() {
    let config = load_fixture("hadolint-full/.hadolint.yaml");
    assert_eq!(config.kind, ConfigKind::Hadolint);
    assert_eq!(config.ignore, strings(&["DL3008", "SC2086"]));
    assert_eq!(
        config.severity,
        vec![
            ("DL3001".to_string(), Severity::Error),
            ("DL3042".to_string(), Severity::Warning),
            ("DL3015".to_string(), Severity::Style),
        ]
    );
    assert_eq!(config.trusted_registries, strings(&["docker.io"]));
    assert_eq!(config.label_schema["author"], "text");
    assert_eq!(config.label_schema["website"], "url");
    assert_eq!(config.strict_labels, Some(true));
    // hadolint's `ignore` threshold fails on every finding
    assert_eq!(config.failure_threshold, Some(Threshold::Style));
    assert_eq!(config.no_fail, Some(true));
    assert_eq!(config.no_color, Some(true));
    assert_eq!(config.disable_ignore_pragma, Some(true));
    assert_eq!(config.formats, strings(&["json"]));
    assert_eq!(config.verbose, Some(false));
    assert_eq!(config.select, None);
    assert!(config.per_file_ignores.is_empty());
}

#[test]
fn hadolint_alternative_forms() {
    let scratch = Scratch::new("hadolint-forms");
    let config = load(&scratch.write(
        ".hadolint.yml",
        "trustedRegistries:\n  - docker.io\n  - \"*.corp.example\"\n\
         formats: [json, sarif]\n\
         failure-threshold: none\n\
         ignored:\n  # - DL3008 (commented out: the key is null)\n\
         label-schema:\n  maintainer:\n",
    ))
    .unwrap();
    assert_eq!(
        config.trusted_registries,
        strings(&["docker.io", "*.corp.example"])
    );
    assert_eq!(config.formats, strings(&["json", "sarif"]));
    assert_eq!(config.failure_threshold, Some(Threshold::Style));
    assert!(config.ignore.is_empty());
    assert_eq!(config.label_schema["maintainer"], "text");
    // empty and comment-only files are empty configs
    for text in ["", "# nothing\n", "---\n"] {
        let config = load(&scratch.write(".hadolint.yaml", text)).unwrap();
        assert!(config.ignore.is_empty() && config.failure_threshold.is_none());
    }
}

#[test]
fn thresholds() {
    assert_eq!(Threshold::parse("none"), Some(Threshold::None));
    assert_eq!(Threshold::parse("Warning"), Some(Threshold::Warning));
    assert_eq!(Threshold::parse("ignore"), None);
    assert_eq!(Threshold::parse_hadolint("none"), Some(Threshold::Style));
    assert_eq!(Threshold::parse_hadolint("ignore"), Some(Threshold::Style));
    assert_eq!(Threshold::parse_hadolint("info"), Some(Threshold::Info));
    for severity in [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ] {
        assert!(!Threshold::None.fails(severity));
        assert!(Threshold::Style.fails(severity));
        assert_eq!(Threshold::Info.fails(severity), severity != Severity::Style);
        assert_eq!(
            Threshold::Error.fails(severity),
            severity == Severity::Error
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Selectors
// ---------------------------------------------------------------------------------------------

fn config_from(text: &str) -> Config {
    let scratch = Scratch::new(&format!("inline-{:x}", fxhash(text)));
    load(&scratch.write("dlayer.toml", text)).unwrap_or_else(|error| panic!("{error}"))
}

fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100000001b3)
    })
}

#[test]
fn selectors_by_code_name_and_prefix() {
    let file = Path::new("Dockerfile");
    let config = config_from("ignore = [\"hc001\", \"SSH-Server\", \"DL30\"]\n");
    assert!(config.is_ignored_for("HC001", "full-os-base", file));
    assert!(config.is_ignored_for("HC002", "ssh-server", file));
    assert!(config.is_ignored_for("DL3008", "apt-pin", file));
    assert!(config.is_ignored_for("DL3059", "x", file));
    assert!(!config.is_ignored_for("DL4006", "x", file));
    assert!(!config.is_ignored_for("HC003", "process-supervisor", file));

    let config = config_from("select = [\"HC00\", \"UndefinedVar\"]\nignore = [\"HC004\"]\n");
    assert!(!config.is_ignored_for("HC003", "process-supervisor", file));
    assert!(config.is_ignored_for("HC010", "install-sprawl", file));
    assert!(!config.is_ignored_for("UndefinedVar", "undefined-var", file));
    assert!(config.is_ignored_for("JSONArgsRecommended", "json-args", file));
    // ignore wins over select
    assert!(config.is_ignored_for("HC004", "cron-daemon", file));
    // select never drops syntax findings
    assert!(!config.is_ignored_for("DL1000", "syntax-error", file));
    assert!(!config.is_ignored_for("E001", "invalid-instruction", file));

    // DL1000 cannot be ignored, even through a prefix; E001 can
    let config = config_from("ignore = [\"DL\", \"E001\"]\n");
    assert!(!config.is_ignored_for("DL1000", "syntax-error", file));
    assert!(config.is_ignored_for("E001", "invalid-instruction", file));
    assert!(config.is_ignored_for("DL3008", "x", file));

    // an empty select turns off every lint rule
    let config = config_from("select = []\n");
    assert!(config.is_ignored_for("HC001", "full-os-base", file));
    assert!(!config.is_ignored_for("DL1000", "syntax-error", file));
}

#[test]
fn severity_overrides_most_specific_wins() {
    let config =
        config_from("[severity]\nHC = \"style\"\nHC00 = \"info\"\nssh-server = \"error\"\n");
    assert_eq!(
        config.severity_for("HC002", "ssh-server"),
        Some(Severity::Error)
    );
    assert_eq!(
        config.severity_for("HC003", "process-supervisor"),
        Some(Severity::Info)
    );
    assert_eq!(
        config.severity_for("HC010", "install-sprawl"),
        Some(Severity::Style)
    );
    assert_eq!(config.severity_for("DL3008", "x"), None);
    assert_eq!(config.severity_for("DL1000", "syntax-error"), None);
    // the last of equally specific selectors wins (hadolint's override lists)
    let config = load_fixture("hadolint-full/.hadolint.yaml");
    assert_eq!(config.severity_for("DL3001", "x"), Some(Severity::Error));
    let scratch = Scratch::new("override-twice");
    let config = load(&scratch.write(
        ".hadolint.yaml",
        "override:\n  error: [DL3008]\n  style: [DL3008]\n",
    ))
    .unwrap();
    assert_eq!(config.severity_for("DL3008", "x"), Some(Severity::Style));
}

// ---------------------------------------------------------------------------------------------
// Per-file ignores
// ---------------------------------------------------------------------------------------------

#[test]
fn per_file_ignores_are_relative_to_the_config_directory() {
    let config = load_fixture("per-file/dlayer.toml");
    let ignored =
        |code: &str, name: &str, file: &str| config.is_ignored_for(code, name, Path::new(file));
    let root = "testdata/config/per-file";

    // "legacy/**"
    assert!(ignored(
        "HC001",
        "full-os-base",
        &format!("{root}/legacy/Dockerfile")
    ));
    assert!(ignored(
        "HC001",
        "full-os-base",
        &format!("{root}/legacy/a/b/Dockerfile")
    ));
    assert!(!ignored(
        "HC002",
        "ssh-server",
        &format!("{root}/legacy/Dockerfile")
    ));
    assert!(!ignored(
        "HC001",
        "full-os-base",
        &format!("{root}/src/legacy/Dockerfile")
    ));
    assert!(!ignored("HC001", "full-os-base", "legacy/Dockerfile"));
    // absolute and un-normalised paths
    let absolute = std::path::absolute(format!("{root}/legacy/Dockerfile")).unwrap();
    assert!(config.is_ignored_for("HC001", "full-os-base", &absolute));
    assert!(ignored(
        "HC001",
        "full-os-base",
        &format!("{root}/other/../legacy/./Dockerfile")
    ));

    // "./services/*/Dockerfile": `*` stops at `/`
    assert!(ignored(
        "HC002",
        "ssh-server",
        &format!("{root}/services/api/Dockerfile")
    ));
    assert!(!ignored(
        "HC002",
        "ssh-server",
        &format!("{root}/services/api/v2/Dockerfile")
    ));

    // "Dockerfile.dev": no `/`, the file name at any depth
    assert!(ignored("HC007", "x", &format!("{root}/Dockerfile.dev")));
    assert!(ignored(
        "HC007",
        "x",
        &format!("{root}/deep/er/Dockerfile.dev")
    ));
    assert!(ignored("HC007", "x", "/elsewhere/Dockerfile.dev"));
    assert!(!ignored("DL3008", "x", &format!("{root}/Dockerfile.dev")));

    // "/Dockerfile": anchored at the config's directory
    assert!(ignored("DL3008", "x", &format!("{root}/Dockerfile")));
    assert!(!ignored("DL3008", "x", &format!("{root}/sub/Dockerfile")));

    // "build/{ci,release}/*.Dockerfile"
    assert!(ignored(
        "HC010",
        "install-sprawl",
        &format!("{root}/build/ci/app.Dockerfile")
    ));
    assert!(ignored(
        "HC010",
        "install-sprawl",
        &format!("{root}/build/release/app.Dockerfile")
    ));
    assert!(!ignored(
        "HC010",
        "install-sprawl",
        &format!("{root}/build/dev/app.Dockerfile")
    ));

    // never DL1000
    let scratch = Scratch::new("per-file-dl");
    let config =
        load(&scratch.write("dlayer.toml", "[per-file-ignores]\n\"**\" = [\"DL\"]\n")).unwrap();
    assert!(config.is_ignored_for("DL3008", "x", &scratch.path("a/Dockerfile")));
    assert!(!config.is_ignored_for("DL1000", "syntax-error", &scratch.path("a/Dockerfile")));
}

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

fn found(discovery: &mut Discovery, file: &str) -> Option<Arc<Config>> {
    discovery
        .for_file(Path::new(file))
        .unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn discovery_nearest_dlayer_config_wins() {
    let mut discovery = Discovery::new();
    let config = found(&mut discovery, "testdata/config/discovery/a/b/c/Dockerfile").unwrap();
    assert_eq!(config.path, fixture("discovery/a/.dlayer.toml"));
    assert_eq!(config.ignore, strings(&["HC002"]));
    let config = found(&mut discovery, "testdata/config/discovery/a/Dockerfile").unwrap();
    assert_eq!(config.path, fixture("discovery/a/.dlayer.toml"));
    let config = found(&mut discovery, "testdata/config/discovery/Dockerfile").unwrap();
    assert_eq!(config.path, fixture("discovery/dlayer.toml"));
    let config = found(
        &mut discovery,
        "testdata/config/discovery/elsewhere/Dockerfile",
    )
    .unwrap();
    assert_eq!(config.path, fixture("discovery/dlayer.toml"));
    // absolute and relative spellings find the same (cached) config
    let absolute = std::path::absolute("testdata/config/discovery/a/x/Dockerfile").unwrap();
    let by_absolute = discovery.for_file(&absolute).unwrap().unwrap();
    let by_relative = found(&mut discovery, "testdata/config/discovery/a/Dockerfile").unwrap();
    assert!(Arc::ptr_eq(&by_absolute, &by_relative));
    // for_dir (stdin)
    let config = discovery
        .for_dir(Path::new("testdata/config/discovery/a"))
        .unwrap()
        .unwrap();
    assert_eq!(config.path, fixture("discovery/a/.dlayer.toml"));
}

#[test]
fn discovery_refuses_two_dlayer_configs_in_one_directory() {
    let mut discovery = Discovery::new();
    let error = discovery
        .for_file(Path::new("testdata/config/discovery/both/Dockerfile"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "testdata/config/discovery/both/dlayer.toml: both `testdata/config/discovery/both/dlayer.toml` \
         and `testdata/config/discovery/both/.dlayer.toml` are here: keep one"
    );
}

#[test]
fn discovery_dlayer_config_beats_a_nearer_hadolint_config() {
    let mut discovery = Discovery::new();
    let config = found(
        &mut discovery,
        "testdata/config/discovery/hadolint-nearer/Dockerfile",
    )
    .unwrap();
    assert_eq!(config.kind, ConfigKind::Dlayer);
    assert_eq!(config.path, fixture("discovery/dlayer.toml"));
}

#[test]
fn discovery_uses_hadolint_config_when_no_dlayer_config() {
    let mut discovery = Discovery::new();
    let config = found(
        &mut discovery,
        "testdata/config/hadolint-tree/sub/deeper/Dockerfile",
    )
    .unwrap();
    assert_eq!(config.kind, ConfigKind::Hadolint);
    assert_eq!(config.path, fixture("hadolint-tree/sub/.hadolint.yml"));
    assert_eq!(config.ignore, strings(&["DL3009"]));
    let config = found(&mut discovery, "testdata/config/hadolint-tree/Dockerfile").unwrap();
    assert_eq!(config.path, fixture("hadolint-tree/.hadolint.yaml"));
}

#[test]
fn discovery_in_a_scratch_tree() {
    let scratch = Scratch::new("discovery");
    let mut discovery = Discovery::new();
    // nothing anywhere
    assert!(
        discovery
            .for_file(&scratch.path("Dockerfile"))
            .unwrap()
            .is_none()
    );
    assert_eq!(discovery.files_read(), 0);

    // .hadolint.yaml beats .hadolint.yml in one directory, as in hadolint
    scratch.write("h/.hadolint.yaml", "ignored: [DL3003]\n");
    scratch.write("h/.hadolint.yml", "ignored: [DL3009]\n");
    let config = Discovery::new()
        .for_file(&scratch.path("h/Dockerfile"))
        .unwrap()
        .unwrap();
    assert_eq!(config.ignore, strings(&["DL3003"]));

    // a broken hadolint config is never read when a dlayer config applies
    scratch.write("d/.hadolint.yaml", "not: [valid\n");
    scratch.write("d/dlayer.toml", "ignore = [\"HC001\"]\n");
    let mut discovery = Discovery::new();
    let config = discovery
        .for_file(&scratch.path("d/Dockerfile"))
        .unwrap()
        .unwrap();
    assert_eq!(config.kind, ConfigKind::Dlayer);
    assert_eq!(discovery.files_read(), 1);
    // ... but is reported when it is the one that applies
    scratch.write("e/.hadolint.yaml", "not: [valid\n");
    let error = Discovery::new()
        .for_file(&scratch.path("e/Dockerfile"))
        .unwrap_err();
    assert_eq!((error.line, error.column), (Some(2), Some(1)), "{error}");
    assert!(error.path.ends_with("e/.hadolint.yaml"));
}

#[test]
fn discovery_reads_each_config_once() {
    let scratch = Scratch::new("cache");
    scratch.write("dlayer.toml", "ignore = [\"HC001\"]\n");
    scratch.write("svc/a/.dlayer.toml", "ignore = [\"HC002\"]\n");
    scratch.write("broken/dlayer.toml", "ignore = [\"HC02\"]\n");
    let mut discovery = Discovery::new();
    let mut root_configs = Vec::new();
    for i in 0..200 {
        for dir in ["", "x", "x/y", "svc", "svc/b"] {
            let file = scratch.path(dir).join(format!("{i}/Dockerfile"));
            root_configs.push(discovery.for_file(&file).unwrap().unwrap());
        }
        let nested = discovery
            .for_file(&scratch.path(&format!("svc/a/{i}/Dockerfile")))
            .unwrap()
            .unwrap();
        assert_eq!(nested.ignore, strings(&["HC002"]));
        // errors are cached too
        let error = discovery
            .for_file(&scratch.path(&format!("broken/{i}/Dockerfile")))
            .unwrap_err();
        assert_eq!((error.line, error.column), (Some(1), Some(11)));
    }
    assert!(
        root_configs
            .iter()
            .all(|config| Arc::ptr_eq(config, &root_configs[0]))
    );
    assert_eq!(root_configs[0].ignore, strings(&["HC001"]));
    assert_eq!(discovery.files_read(), 3);
}

#[test]
fn hadolint_user_config_locations() {
    let scratch = Scratch::new("home");
    let home = scratch.path("home");
    let var = |name: &str| match name {
        "HOME" => Some(home.to_string_lossy().into_owned()),
        _ => None,
    };
    assert_eq!(hadolint_user_config(var), None);
    scratch.write("home/.hadolint.yml", "");
    assert_eq!(hadolint_user_config(var), Some(home.join(".hadolint.yml")));
    scratch.write("home/.hadolint/config.yaml", "");
    assert_eq!(
        hadolint_user_config(var),
        Some(home.join(".hadolint/config.yaml"))
    );
    scratch.write("home/.config/hadolint.yaml", "");
    assert_eq!(
        hadolint_user_config(var),
        Some(home.join(".config/hadolint.yaml"))
    );
    let xdg = scratch.path("xdg");
    scratch.write("xdg/hadolint.yml", "");
    let var = |name: &str| match name {
        "HOME" => Some(home.to_string_lossy().into_owned()),
        "XDG_CONFIG_HOME" => Some(xdg.to_string_lossy().into_owned()),
        _ => None,
    };
    assert_eq!(hadolint_user_config(var), Some(xdg.join("hadolint.yml")));
}

// ---------------------------------------------------------------------------------------------
// Errors: every one with file:line:column
// ---------------------------------------------------------------------------------------------

const SELECTOR_HELP: &str = "expected a rule code (HC002, DL3008, SC2086), a rule name (ssh-server), \
     a BuildKit check (JSONArgsRecommended) or a code prefix (HC, DL30)";

#[test]
fn errors_have_exact_positions() {
    let formats = "tty, json, checkstyle, codeclimate, gitlab_codeclimate, gnu, codacy, sonarqube, sarif, junit";
    let labels = "text, url, semver, hash, rfc3339, spdx, email";
    let cases: Vec<(&str, String)> = vec![
        // dlayer.toml
        ("unknown-key.toml", "2:1: unknown key `selct` (did you mean `select`?); expected one of: select, ignore, failure-threshold, no-fail, severity, per-file-ignores, rules, trusted-registries, label-schema, strict-labels, disable-ignore-pragma, shellcheck, catalog, format, include, exclude, max-file-size".into()),
        ("unknown-rule-option.toml", "2:1: unknown key `max-runs`; expected one of: max-install-runs".into()),
        ("catalog-unknown-key.toml", "2:1: unknown key `image` (did you mean `images`?); expected one of: images, packages".into()),
        ("wrong-type.toml", "1:11: invalid type: string \"yes\", expected a boolean".into()),
        ("wrong-type-list.toml", "1:10: invalid type: string \"HC001\", expected a list".into()),
        ("bad-severity.toml", "2:9: unknown severity `fatal`: expected error, warning, info or style (to turn a rule off, list it in `ignore`)".into()),
        ("bad-threshold.toml", "1:21: unknown failure threshold `ignore`: expected error, warning, info, style or none (none: never fail on findings)".into()),
        ("unknown-rule-code.toml", format!("1:20: unknown rule `HC02` (did you mean `HC002`?); {SELECTOR_HELP}")),
        ("unknown-rule-name.toml", format!("3:5: unknown rule `ssh-sever` (did you mean `ssh-server`?); {SELECTOR_HELP}")),
        ("unknown-rule-key.toml", format!("2:1: unknown rule `HC6` (did you mean `HC006`?); {SELECTOR_HELP}")),
        ("bad-glob.toml", "3:1: invalid glob `legacy/[abc`: unclosed character class; missing ']'".into()),
        ("bad-glob-rule.toml", format!("2:25: unknown rule `nope`; {SELECTOR_HELP}")),
        ("syntax.toml", "2:1: missing comma between array elements, expected `,`".into()),
        ("duplicate-key.toml", "2:1: duplicate key".into()),
        ("ignore-dl1000.toml", "1:11: DL1000 (syntax-error) cannot be ignored: a Dockerfile BuildKit rejects is always reported".into()),
        ("severity-dl1000.toml", "2:1: DL1000 (syntax-error) cannot be re-levelled: a Dockerfile BuildKit rejects is always reported".into()),
        ("option-of-other-rule.toml", "2:20: `max-install-runs` is an option of HC010 (install-sprawl), not of HC001 (full-os-base)".into()),
        ("max-install-runs-zero.toml", "2:20: `max-install-runs` must be at least 1, not 0".into()),
        ("rule-options-twice.toml", "4:8: options of HC010 (install-sprawl) are set twice".into()),
        ("rule-options-prefix.toml", "1:8: `[rules.HC]` must name one rule by its code or name, and one that has options".into()),
        ("bad-label-type.toml", format!("2:14: unknown label type `mail`: expected one of {labels}")),
        ("bad-registry.toml", "1:36: invalid registry `my registry`: expected a host name, `*.domain` or `*`".into()),
        ("catalog-missing.toml", "2:10: cannot read catalog `testdata/config/errors/catalog/missing.toml`: No such file or directory (os error 2)".into()),
        // .hadolint.yaml
        ("wrong-type.yaml", "1:10: `ignored` must be a list of rule codes, found a string".into()),
        ("wrong-type-int.yaml", "1:16: `strict-labels` must be true or false, found an integer".into()),
        ("yes-is-a-string.yaml", "1:10: `no-fail` must be true or false, found a string".into()),
        ("bad-override-level.yaml", "2:3: unknown key `fatal` in `override`; expected one of: error, warning, info, style".into()),
        ("unknown-rule.yaml", format!("3:5: unknown rule `ZZ99999`; {SELECTOR_HELP}")),
        ("unknown-rule-override.yaml", format!("3:7: unknown rule `ssh-sever` (did you mean `ssh-server`?); {SELECTOR_HELP}")),
        ("bad-threshold.yaml", "1:20: unknown failure threshold `fatal`: expected error, warning, info, style, ignore or none".into()),
        ("syntax.yaml", "2:1: while parsing a flow sequence, expected ',' or ']'".into()),
        ("duplicate-key.yaml", "2:1: duplicated key in mapping".into()),
        ("two-documents.yaml", "3:1: expected one YAML document, found several".into()),
        ("not-a-mapping.yaml", "1:1: expected a mapping of settings, found a list".into()),
        ("bad-format.yaml", format!("1:9: unknown format `xml`: expected one of {formats}")),
        ("bad-formats.yaml", format!("3:5: unknown format `html`: expected one of {formats}")),
        ("bad-label-type.yaml", format!("2:11: unknown label type `person`: expected one of {labels}")),
        ("bad-registries.yaml", "2:3: `trustedRegistries` must be a registry or a list of registries, found a mapping".into()),
    ];
    let mut failures = Vec::new();
    for (file, expected) in &cases {
        let path = fixture(&format!("errors/{file}"));
        let expected = format!("{}:{expected}", path.display());
        match load(&path) {
            Ok(_) => failures.push(format!("{file}: loaded without error")),
            Err(error) => {
                let mut position = expected[path.display().to_string().len() + 1..].split(':');
                let mut number = || position.next().and_then(|n| n.parse::<usize>().ok());
                let (line, column) = (number(), number());
                if error.to_string() != expected || (error.line, error.column) != (line, column) {
                    failures.push(format!(
                        "{file}:\n  got      {error}\n  expected {expected}"
                    ));
                }
            }
        }
    }
    // every error fixture is covered
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("errors"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut covered: Vec<String> = cases.iter().map(|(file, _)| file.to_string()).collect();
    covered.push("catalog-bad.toml".into());
    covered.push("unknown-key.yaml".into());
    covered.sort();
    assert_eq!(on_disk, covered, "error fixtures and test cases differ");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unknown_hadolint_key_is_a_warning_as_hadolint_ignores_it() {
    let config = load(&fixture("errors/unknown-key.yaml")).unwrap();
    let warnings: Vec<String> = config.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "testdata/config/errors/unknown-key.yaml:1:1: unknown key `ignore` (did you mean `ignored`?); expected one of: ignored, override, trustedRegistries, label-schema, strict-labels, failure-threshold, no-fail, no-color, disable-ignore-pragma, format, formats, verbose"
        ]
    );
}

#[test]
fn errors_in_a_user_catalog_point_into_the_catalog() {
    let error = load(&fixture("errors/catalog-bad.toml")).unwrap_err();
    assert_eq!(error.path, fixture("errors/catalog/bad-packages.toml"));
    assert_eq!((error.line, error.column), (Some(3), Some(17)));
    assert!(error.message.contains("`editor`"), "{error}");
}

#[test]
fn file_level_errors() {
    let error = load(Path::new("testdata/config/nope/dlayer.toml")).unwrap_err();
    assert_eq!((error.line, error.column), (None, None));
    assert!(
        error
            .to_string()
            .starts_with("testdata/config/nope/dlayer.toml: cannot read config: "),
        "{error}"
    );
    let error = load(Path::new("testdata/config/README.md")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "testdata/config/README.md: unknown config file type: expected a dlayer `.toml` or a hadolint `.yaml`/`.yml` file"
    );
    let scratch = Scratch::new("utf8");
    let path = scratch.path("dlayer.toml");
    std::fs::write(&path, b"ignore = [\"\xff\"]\n").unwrap();
    assert_eq!(
        load(&path).unwrap_err().message,
        "config is not valid UTF-8"
    );
    // a BOM is fine, and columns count characters
    let error =
        load(&scratch.write("dlayer.toml", "\u{feff}# é\nignore = [\"é\", 1]\n")).unwrap_err();
    assert_eq!((error.line, error.column), (Some(2), Some(16)), "{error}");
    let error = load(&scratch.write(".hadolint.yaml", "\u{feff}label-schema:\n  \"é\": person\n"))
        .unwrap_err();
    assert_eq!((error.line, error.column), (Some(2), Some(8)), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Environment variables and precedence
// ---------------------------------------------------------------------------------------------

#[test]
fn hadolint_environment_variables() {
    assert!(
        from_hadolint_env([("PATH", "/bin"), ("HOME", "/root")])
            .unwrap()
            .is_none()
    );
    let config = from_hadolint_env([
        ("NO_COLOR", ""),
        ("HADOLINT_NOFAIL", "Yes"),
        ("HADOLINT_VERBOSE", "0"),
        ("HADOLINT_STRICT_LABELS", "on"),
        ("HADOLINT_DISABLE_IGNORE_PRAGMA", "1"),
        ("HADOLINT_FORMAT", "json, sarif"),
        ("HADOLINT_FAILURE_THRESHOLD", "none"),
        ("HADOLINT_OVERRIDE_ERROR", "DL3008,DL3009"),
        ("HADOLINT_OVERRIDE_STYLE", "SC2086"),
        ("HADOLINT_IGNORE", "DL3003, SC2164,"),
        ("HADOLINT_TRUSTED_REGISTRIES", "docker.io,*.corp.example"),
        ("HADOLINT_REQUIRE_LABELS", "maintainer:email,version"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(config.kind, ConfigKind::Environment);
    assert_eq!(config.no_color, Some(true));
    assert_eq!(config.no_fail, Some(true));
    assert_eq!(config.verbose, None);
    assert_eq!(config.strict_labels, Some(true));
    assert_eq!(config.disable_ignore_pragma, Some(true));
    assert_eq!(config.formats, strings(&["json", "sarif"]));
    assert_eq!(config.failure_threshold, Some(Threshold::Style));
    assert_eq!(
        config.severity,
        vec![
            ("DL3008".to_string(), Severity::Error),
            ("DL3009".to_string(), Severity::Error),
            ("SC2086".to_string(), Severity::Style),
        ]
    );
    assert_eq!(config.ignore, strings(&["DL3003", "SC2164"]));
    assert_eq!(
        config.trusted_registries,
        strings(&["docker.io", "*.corp.example"])
    );
    assert_eq!(config.label_schema["maintainer"], "email");
    assert_eq!(config.label_schema["version"], "text");

    let error = from_hadolint_env([("HADOLINT_IGNORE", "DL3003,ZZ99999")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("HADOLINT_IGNORE: unknown rule `ZZ99999`; {SELECTOR_HELP}")
    );
    let error = from_hadolint_env([("HADOLINT_FAILURE_THRESHOLD", "fatal")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "HADOLINT_FAILURE_THRESHOLD: unknown failure threshold `fatal`: expected error, warning, info, style, ignore or none"
    );
    assert!(from_hadolint_env([("HADOLINT_FORMAT", "xml")]).is_err());
    assert!(from_hadolint_env([("HADOLINT_REQUIRE_LABELS", "a:person")]).is_err());
}

#[test]
fn merging_follows_hadolint_precedence() {
    let file = load_fixture("hadolint-full/.hadolint.yaml");
    let env = from_hadolint_env([
        ("HADOLINT_IGNORE", "DL3003"),
        ("HADOLINT_FAILURE_THRESHOLD", "error"),
        ("HADOLINT_NOFAIL", "false"),
        ("HADOLINT_OVERRIDE_INFO", "DL3001"),
        ("HADOLINT_TRUSTED_REGISTRIES", "quay.io"),
    ])
    .unwrap()
    .unwrap();
    let merged = file.merged_over(&env);
    assert_eq!(merged.kind, ConfigKind::Hadolint);
    assert_eq!(merged.path, fixture("hadolint-full/.hadolint.yaml"));
    // lists are concatenated
    assert_eq!(merged.ignore, strings(&["DL3003", "DL3008", "SC2086"]));
    assert_eq!(
        merged.trusted_registries,
        strings(&["quay.io", "docker.io"])
    );
    // scalars: the file beats the environment
    assert_eq!(merged.failure_threshold, Some(Threshold::Style));
    assert_eq!(merged.no_fail, Some(true));
    // the file's override beats the environment's for the same code
    assert_eq!(merged.severity_for("DL3001", "x"), Some(Severity::Error));

    // what the upper config leaves unset comes from the lower one
    let upper = Config::new("cli", ConfigKind::Dlayer);
    let merged = upper.merged_over(&load_fixture("full/dlayer.toml"));
    assert_eq!(merged.max_install_runs, Some(4));
    assert!(merged.catalog_images.is_some());
    assert_eq!(merged.per_file_ignores.len(), 2);
    assert!(merged.is_ignored_for(
        "HC001",
        "full-os-base",
        Path::new("testdata/config/full/legacy/Dockerfile")
    ));
}
