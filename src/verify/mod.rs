//! `dlayer verify`: real builds judge a rewrite. The original and the rewritten Dockerfile are
//! built with the local Docker engine and the images compared: installed packages (see
//! `packages.rs`), image configuration (`config.rs`), files (`files.rs`, from `docker export`)
//! and behaviour (the command started with `docker run -d` after a settle time).

mod behaviour;
mod config;
mod engine;
mod files;
mod packages;
mod snapshot;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::model::{self, Catalog};

pub use engine::{Builder, HOW_TO_GET_ONE};
pub use packages::Strictness;

/// One way the rewritten image differs from the original.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `package-missing`, `config`, `file-mode`, `behaviour`...
    pub kind: &'static str,
    /// The package, field, path or account concerned.
    pub subject: String,
    pub message: String,
}

impl Difference {
    pub fn new(kind: &'static str, subject: &str, message: String) -> Self {
        Difference {
            kind,
            subject: subject.to_string(),
            message,
        }
    }
}

/// What to build.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub original: PathBuf,
    pub rewritten: PathBuf,
    /// The build context of both (default: the original's directory).
    pub context: PathBuf,
    /// The rewritten file's production target (default: `prod` when it has one, else its
    /// last stage).
    pub target: Option<String>,
    /// The rewritten file's development target (default: `dev` when it has one).
    pub dev_target: Option<String>,
    /// The original's target (default: its last stage).
    pub original_target: Option<String>,
    pub build_args: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub keep_images: bool,
    /// How long the command runs before its state is read.
    pub settle: Duration,
    pub strictness: Strictness,
}

/// Counts of what was compared.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Checked {
    pub packages: usize,
    pub files: usize,
    pub config_fields: usize,
    /// Whether the behaviour was compared (an image without a command has none).
    pub behaviour: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub equivalent: bool,
    pub builder: &'static str,
    pub production_target: Option<String>,
    pub dev_target: Option<String>,
    pub checked: Checked,
    pub differences: Vec<Difference>,
    /// Images left behind (`--keep-images`).
    pub images: Vec<String>,
}

/// Why nothing could be compared (exit 2).
#[derive(Clone, Debug)]
pub enum Failure {
    /// No engine answers: the message says how to get one.
    NoEngine(String),
    /// A build failed: which one and the tail of its log.
    Build { which: String, log_tail: String },
    /// The engine failed otherwise (inspect, export, run).
    Engine(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NoEngine(message) | Failure::Engine(message) => f.write_str(message),
            Failure::Build { which, log_tail } => {
                write!(
                    f,
                    "the {which} does not build; the end of its build log:\n{log_tail}"
                )
            }
        }
    }
}

/// Stage names of a Dockerfile on disk (for the default targets).
fn stage_names(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let dockerfile = crate::syntax::parse(&text);
    model::build(&dockerfile, &model::Options::default())
        .stages
        .into_iter()
        .filter_map(|stage| stage.name)
        .collect()
}

/// The production and dev targets of the rewritten file.
fn targets(inputs: &Inputs, strictness: Strictness) -> (Option<String>, Option<String>) {
    if strictness == Strictness::Same {
        // A per-instruction fix keeps the stages: the same target, no dev target.
        return (inputs.target.clone(), None);
    }
    let names = stage_names(&inputs.rewritten);
    let has = |name: &str| names.iter().any(|stage| stage.eq_ignore_ascii_case(name));
    let production = inputs
        .target
        .clone()
        .or_else(|| has("prod").then(|| "prod".to_string()));
    let dev = inputs
        .dev_target
        .clone()
        .or_else(|| has("dev").then(|| "dev".to_string()));
    (production, dev)
}

/// Builds both files and compares the images.
pub fn verify(inputs: &Inputs, options: &Options, catalog: &Catalog) -> Result<Report, Failure> {
    let engine = engine::Engine::connect(options.keep_images).map_err(Failure::NoEngine)?;
    let (production_target, dev_target) = targets(inputs, options.strictness);
    let build = |which: &str, role: &str, dockerfile: &Path, target: Option<&str>| {
        let tag = engine.tag_for(role);
        let request = engine::BuildRequest {
            dockerfile,
            context: &inputs.context,
            target,
            build_args: &inputs.build_args,
        };
        engine
            .build(&request, &tag)
            .map(|()| tag)
            .map_err(|log_tail| Failure::Build {
                which: which.to_string(),
                log_tail,
            })
    };
    // The two independent builds run side by side; dev reuses production's layers after.
    let (original, production) = std::thread::scope(|scope| {
        let original = scope.spawn(|| {
            build(
                "original",
                "original",
                &inputs.original,
                inputs.original_target.as_deref(),
            )
        });
        let production = build(
            "rewritten production target",
            "prod",
            &inputs.rewritten,
            production_target.as_deref(),
        );
        (original.join().expect("build thread"), production)
    });
    let (original, production) = (original?, production?);
    let development = dev_target
        .as_deref()
        .map(|target| {
            build(
                "rewritten dev target",
                "dev",
                &inputs.rewritten,
                Some(target),
            )
        })
        .transpose()?;
    let mut report = compare(
        &engine,
        &original,
        &production,
        development.as_deref(),
        options,
        catalog,
    )?;
    report.production_target = production_target;
    report.dev_target = dev_target;
    if options.keep_images {
        report.images = engine.images();
    }
    Ok(report)
}

fn compare(
    engine: &engine::Engine,
    original: &str,
    production: &str,
    development: Option<&str>,
    options: &Options,
    catalog: &Catalog,
) -> Result<Report, Failure> {
    let mut checked = Checked::default();
    let mut differences = Vec::new();
    // Containers started first: they settle while the file systems are read.
    let behaviour = behaviour::start(engine, original, production).map_err(Failure::Engine)?;
    let started = std::time::Instant::now();
    let (was, now) = std::thread::scope(|scope| {
        let was = scope.spawn(|| engine.snapshot(original, true));
        (
            was.join().expect("export thread"),
            engine.snapshot(production, true),
        )
    });
    let (was, now) = (was.map_err(Failure::Engine)?, now.map_err(Failure::Engine)?);
    let dev = development
        .map(|tag| engine.snapshot(tag, false))
        .transpose()
        .map_err(Failure::Engine)?;
    let installed = |tag: &str, snapshot: &snapshot::Snapshot| installed(engine, tag, snapshot);
    let original_packages = installed(original, &was)?;
    let production_packages = installed(production, &now)?;
    let dev_packages = match (development, &dev) {
        (Some(tag), Some(snapshot)) => Some(installed(tag, snapshot)?),
        _ => None,
    };
    checked.packages = original_packages.packages.len();
    differences.extend(packages::compare(
        &original_packages,
        &production_packages,
        dev_packages.as_ref(),
        catalog,
        options.strictness,
    ));
    let gone: BTreeSet<String> = original_packages
        .packages
        .keys()
        .filter(|name| !production_packages.packages.contains_key(*name))
        .cloned()
        .collect();
    let excuses = files::Excuses::new(&was, &now, &gone);
    let (files_checked, file_differences) = files::compare(&was, &now, &excuses);
    checked.files = files_checked;
    differences.extend(file_differences);
    if let Some(dev) = &dev {
        differences.extend(files::dev_keeps_rewritten_configs(
            &was, &now, dev, &excuses,
        ));
    }
    let original_config = engine.image_config(original).map_err(Failure::Engine)?;
    let production_config = engine.image_config(production).map_err(Failure::Engine)?;
    let dev_config = development
        .map(|tag| engine.image_config(tag))
        .transpose()
        .map_err(Failure::Engine)?;
    checked.config_fields = 10;
    differences.extend(config::compare(
        &original_config,
        &production_config,
        dev_config.as_ref(),
        &|path| excuses.owned_by_gone(path),
    ));
    if let Some(containers) = behaviour {
        let elapsed = started.elapsed();
        std::thread::sleep(options.settle.saturating_sub(elapsed));
        checked.behaviour = true;
        differences.extend(behaviour::compare(engine, &containers).map_err(Failure::Engine)?);
    }
    Ok(Report {
        equivalent: differences.is_empty(),
        builder: match engine.builder {
            Builder::BuildKit => "buildkit",
            Builder::Classic => "classic",
        },
        production_target: None,
        dev_target: None,
        checked,
        differences,
        images: Vec::new(),
    })
}

/// The package database the image has: dpkg's or apk's from the export, else `rpm -qa`.
fn installed(
    engine: &engine::Engine,
    tag: &str,
    snapshot: &snapshot::Snapshot,
) -> Result<packages::Installed, Failure> {
    if let Some(status) = snapshot.text("var/lib/dpkg/status") {
        return Ok(packages::parse_dpkg_status(status));
    }
    if let Some(db) = snapshot.text("lib/apk/db/installed") {
        return Ok(packages::parse_apk_installed(db));
    }
    let has_rpm = snapshot
        .entries
        .keys()
        .any(|path| path.starts_with("var/lib/rpm/"));
    if has_rpm {
        let list = engine
            .run_output(
                tag,
                "rpm",
                &["-qa", "--qf", "%{NAME}\t%{VERSION}-%{RELEASE}\n"],
            )
            .map_err(Failure::Engine)?;
        return Ok(packages::parse_rpm_list(&list));
    }
    Ok(packages::Installed::default())
}
