//! Property over real Dockerfiles (`$DLAYER_CORPUS`, directories separated by `:`): no safe fix
//! makes a command that reads the apt package lists run after they were removed.
//!
//! The lists are simulated through each stage (a stage built FROM another starts with its
//! state) from the model's commands: `apt-get update` downloads them, `rm … /var/lib/apt/lists`
//! removes them, and `apt-get install` (and the other readers) run without them when they
//! were removed. The readers starved this way are compared before and after `dlayer fix`.
//! The classification is written here, apart from DL3009's, so that it checks it.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use dlayer::fix::{FixOptions, Outcome, fix_bytes};
use dlayer::lint::LintOptions;
use dlayer::model::{self, Options};
use dlayer::rules::Settings;
use dlayer::shell::Command;
use dlayer::syntax;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lists {
    Unknown,
    Present,
    Removed,
}

fn words(command: &Command) -> Vec<&str> {
    command
        .args
        .iter()
        .map(|word| word.value().unwrap_or(&word.raw))
        .filter(|word| !word.starts_with('-'))
        .collect()
}

/// What the command does with the lists: `Some(Present)` downloads, `Some(Removed)` removes,
/// `None` with `reads` true reads them.
fn effect(command: &Command) -> (Option<Lists>, bool) {
    let program = command.program().unwrap_or("");
    let operands = words(command);
    match program {
        "apt-get" | "apt" | "aptitude" => match operands.first().copied() {
            Some("update") => (Some(Lists::Present), false),
            Some("install" | "reinstall" | "build-dep" | "source" | "upgrade" | "dist-upgrade") => {
                (None, true)
            }
            _ => (None, false),
        },
        "apt-cache" => (None, true),
        "rm" if operands
            .iter()
            .any(|path| path.trim_end_matches(['*', '/']) == "/var/lib/apt/lists") =>
        {
            (Some(Lists::Removed), false)
        }
        _ => (None, false),
    }
}

/// `(stage, n)`: the n-th list reader of the stage runs while the lists are removed.
fn starved(text: &str) -> BTreeSet<(usize, usize)> {
    let dockerfile = syntax::parse_bytes(text.as_bytes());
    let built = model::build(&dockerfile, &Options::default());
    let mut end_state = Vec::new();
    let mut found = BTreeSet::new();
    for stage in &built.stages {
        let mut lists = stage
            .base
            .stage
            .and_then(|parent| end_state.get(parent).copied())
            .unwrap_or(Lists::Unknown);
        let mut readers = 0;
        for instruction in &stage.instructions {
            if instruction.keyword != "RUN" {
                continue;
            }
            for command in &instruction.script {
                match effect(command) {
                    (Some(state), _) => lists = state,
                    (None, true) => {
                        readers += 1;
                        if lists == Lists::Removed {
                            found.insert((stage.index, readers));
                        }
                    }
                    (None, false) => {}
                }
            }
        }
        end_state.push(lists);
    }
    found
}

#[test]
fn simulation_sees_a_starved_install() {
    let text = "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nFROM base\nRUN apt-get install -y git\n";
    assert_eq!(starved(text), BTreeSet::from([(1, 1)]));
    let refreshed = text.replace(
        "RUN apt-get install",
        "RUN apt-get update && apt-get install",
    );
    assert!(starved(&refreshed).is_empty());
}

#[test]
#[ignore = "needs ../shared corpus (DLAYER_CORPUS)"]
fn safe_fixes_never_starve_an_install() {
    let dirs = std::env::var_os("DLAYER_CORPUS").expect("DLAYER_CORPUS: corpus directories");
    let (mut files, mut changed, mut broken) = (0, 0, Vec::new());
    for dir in std::env::split_paths(&dirs) {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if !path.to_string_lossy().contains("Dockerfile") {
                continue;
            }
            files += 1;
            let bytes = fs::read(&path).unwrap();
            let Outcome::Fixed { text, .. } = fix_bytes(
                &bytes,
                Path::new(&path),
                &LintOptions::default(),
                None,
                &Settings::default(),
                FixOptions::default(),
            ) else {
                continue;
            };
            let original = String::from_utf8_lossy(&bytes);
            if text == original {
                continue;
            }
            changed += 1;
            let before = starved(&original);
            let new: Vec<_> = starved(&text).difference(&before).copied().collect();
            if !new.is_empty() {
                broken.push(format!("{}: {new:?}", path.display()));
            }
        }
    }
    println!(
        "fix lists: {files} files, {changed} changed by safe fixes, {} starve an install",
        broken.len()
    );
    assert!(files > 0, "no Dockerfile in DLAYER_CORPUS");
    assert!(
        broken.is_empty(),
        "safe fixes starve installs:\n{}",
        broken.join("\n")
    );
}
