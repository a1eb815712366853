//! The model over real Dockerfiles, read from `$DLAYER_CORPUS` (directories separated by `:`;
//! `.ci/run` points it at `../shared/corpus/official:../shared/corpus/heavy`).
//!
//! - Building the model never panics.
//! - No RUN is opaque unless its script is genuinely invalid shell (or run by a non-POSIX
//!   shell); the genuinely invalid ones are listed below with the reason.
//! - Every OS package a plain regex finds after `apt-get|apt|yum|dnf|microdnf|apk ...
//!   install|add` is in the model; the ratio is printed and every miss is explained.

use std::fs;
use std::path::PathBuf;

use dlayer::model::{self, Options};
use dlayer::syntax::{self, Arguments, Item};

const VARIABLE: &str = "DLAYER_CORPUS";

/// RUN scripts in the corpus that are not valid shell, with the reason (file name, line).
/// None so far: every RUN of both corpora parses.
const KNOWN_INVALID: &[(&str, usize, &str)] = &[];

/// Words the plain regex takes for packages that are none, with the reason.
const EXPLAINED_MISSES: &[(&str, &str)] = &[
    (
        "ppc64le",
        "postgres alpine: a word inside `$([ \"$(apk --print-arch)\" != 'ppc64le' ] && echo 'nss_wrapper')`, \
         a command substitution that prints the package name at build time (the model sees a dynamic word)",
    ),
    ("]", "the same command substitution's `]`"),
];

fn corpus_files() -> Option<Vec<PathBuf>> {
    let Some(dirs) = std::env::var_os(VARIABLE) else {
        panic!("{VARIABLE} is not set: the corpora are needed (.ci/run sets it)");
    };
    let mut files = Vec::new();
    for dir in std::env::split_paths(&dirs) {
        let entries = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{VARIABLE}: cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_file() && !name.ends_with(".tsv") && !name.ends_with(".md") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "{VARIABLE} holds no files");
    Some(files)
}

/// Package-looking words a plain regex finds after an OS package manager's install verb.
fn regex_packages(script: &str) -> Vec<String> {
    let mut found = Vec::new();
    for segment in script.split(['&', ';', '|', '\n']) {
        let words: Vec<&str> = segment.split_whitespace().collect();
        let Some(manager) = words.iter().position(|word| {
            matches!(
                *word,
                "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "apk"
            )
        }) else {
            continue;
        };
        let Some(verb) = words[manager..]
            .iter()
            .position(|word| matches!(*word, "install" | "add"))
        else {
            continue;
        };
        let mut skip_value = false;
        for word in &words[manager + verb + 1..] {
            if skip_value {
                skip_value = false;
                continue;
            }
            if matches!(
                *word,
                "-o" | "-t" | "--virtual" | "-X" | "--repository" | "-c"
            ) {
                skip_value = true;
                continue;
            }
            let clean = word.trim_matches(['\\', '"', '\'']);
            if clean.is_empty()
                || clean.starts_with(['-', '$', '#', '/', '.', '(', '`', '{'])
                || clean.contains(['$', '`', '*', '=', '<', '>', '\'', '"'])
            {
                continue;
            }
            found.push(clean.to_string());
        }
    }
    found
}

#[test]
#[ignore = "needs the corpora: DLAYER_CORPUS=../shared/corpus/official:../shared/corpus/heavy (.ci/run sets it)"]
fn model_covers_the_corpus() {
    let Some(files) = corpus_files() else { return };
    let (mut runs, mut opaque, mut expected, mut matched, mut explained) =
        (0, Vec::new(), 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dockerfile = syntax::parse_bytes(&fs::read(path).unwrap());
        let built = model::build(&dockerfile, &Options::default());
        let index = syntax::LineIndex::new(&dockerfile.source);
        for stage in &built.stages {
            for instruction in stage.instructions.iter().filter(|i| i.keyword == "RUN") {
                runs += 1;
                let Item::Instruction(node) = &dockerfile.items[instruction.item] else {
                    unreachable!()
                };
                if let Some(error) = &instruction.script_error {
                    let line = index.line(node.span.start);
                    let known = KNOWN_INVALID
                        .iter()
                        .any(|(file, at, _)| *file == name && *at == line);
                    let non_posix = error.message.contains("not a POSIX shell");
                    if !known && !non_posix {
                        opaque.push(format!(
                            "{name}:{line}: {} (at {}:{})",
                            error.message, error.line, error.column
                        ));
                    }
                    continue;
                }
                let Arguments::Shell(token) = &node.arguments else {
                    continue;
                };
                let mut script = token.text.clone();
                node.heredocs
                    .iter()
                    .for_each(|heredoc| script.push_str(&format!("\n{}", heredoc.content)));
                for package in regex_packages(&script) {
                    expected += 1;
                    let found = instruction.packages.iter().any(|p| {
                        p.name == package
                            || package.starts_with(&format!("{}=", p.name))
                            || package.starts_with(&format!("{}-", p.name))
                    });
                    if found {
                        matched += 1;
                    } else if EXPLAINED_MISSES.iter().any(|(word, _)| *word == package) {
                        explained += 1;
                    } else {
                        misses.push(format!("{name}:{}: {package}", index.line(node.span.start)));
                    }
                }
            }
        }
    }
    println!(
        "corpus: {} files, {runs} RUN instructions, {} unexpectedly opaque",
        files.len(),
        opaque.len()
    );
    println!(
        "corpus: {matched}/{expected} regex-found OS packages are in the model ({:.2}%); \
         {explained} regex hits are no packages (explained in EXPLAINED_MISSES)",
        100.0 * matched as f64 / expected.max(1) as f64
    );
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(
        opaque.is_empty(),
        "RUN scripts opaque without being invalid:\n{}",
        opaque.join("\n")
    );
    assert!(
        misses.is_empty(),
        "packages the model missed:\n{}",
        misses.join("\n")
    );
}
