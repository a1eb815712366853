//! `dlayer fix --split` over real Dockerfiles (`$DLAYER_CORPUS_HEAVY`, `$DLAYER_CORPUS_OFFICIAL`):
//! every file splits and passes the verifier or is refused with a reason; every output parses,
//! its `prod` target has no sshd (HC002) or development tool (HC006) finding, the files layout
//! parses (bake file as HCL), safe fixes on the output settle, and splitting again changes
//! nothing. Prints the refusal rate and reasons; fails when more than 10% of the heavy corpus is
//! refused. With `$DLAYER_SPLIT_OUT`, outputs are written there for the BuildKit oracle.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use dlayer::fix::{FixOptions, Outcome as FixOutcome, fix_bytes};
use dlayer::lint::{LintOptions, lint_bytes};
use dlayer::model::Catalog;
use dlayer::rules::Settings;
use dlayer::stack::{Outcome, SplitOptions, split};

/// A regression gate at today's figure (234 of 1,000 refused), under the 25%: splits
/// that did not build are refused (a step run through sudo after sudo left production), steps
/// under a non-root USER run as that user from a root RUN (setpriv), parent stages are read
/// with the split stage, and steps that need no working directory no longer refuse. Lower it as
/// refusals come back down.
const WILD_REFUSAL_CEILING: f64 = 23.4;

fn corpus(variable: &str) -> Option<Vec<PathBuf>> {
    let dir = std::env::var_os(variable)?;
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", Path::new(&dir).display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            !path
                .extension()
                .is_some_and(|ext| ext == "tsv" || ext == "md" || ext == "json")
        })
        .collect();
    files.sort();
    Some(files)
}

#[derive(Default)]
struct Tally {
    files: usize,
    split: usize,
    unchanged: usize,
    refused: BTreeMap<String, usize>,
    saved_mb: u32,
    removed_from_production: usize,
}

fn check_corpus(variable: &str, out: Option<&Path>) -> Option<Tally> {
    let files = corpus(variable)?;
    let mut tally = Tally::default();
    for path in files {
        let source = fs::read_to_string(&path).unwrap();
        tally.files += 1;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match split(&source, &name, &SplitOptions::default(), Catalog::builtin()) {
            Err(refusal) => {
                assert!(!refusal.reason.is_empty() && refusal.line >= 1);
                let class = refusal
                    .reason
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .replace(|c: char| c.is_ascii_digit(), "N");
                *tally.refused.entry(class.trim().to_string()).or_insert(0) += 1;
            }
            Ok(Outcome::Unchanged(_)) => {
                tally.unchanged += 1;
                check_unchanged_ships_no_blocker(&name, &source);
            }
            Ok(Outcome::Split(result)) => {
                tally.split += 1;
                tally.saved_mb += result.report.estimated_saving_mb.unwrap_or(0);
                tally.removed_from_production += result.report.removed_from_production.len();
                check_output(&name, &result.stages);
                check_comments_kept(&name, &source, &result.stages);
                for (file, content) in result.files("..", "stack") {
                    if file.ends_with(".hcl") {
                        hcl::from_str::<hcl::Body>(&content)
                            .unwrap_or_else(|e| panic!("{name}: {file}: {e}"));
                    } else {
                        let parsed = dlayer::syntax::parse(&content);
                        assert!(parsed.errors.is_empty(), "{name}: {file} does not parse");
                    }
                }
                if let Some(out) = out {
                    fs::write(out.join(format!("{name}.split")), &result.stages).unwrap();
                }
            }
        }
    }
    Some(tally)
}

/// Every comment line of the input is in the output (comments before blank lines and at the end
/// of the file included).
fn check_comments_kept(name: &str, source: &str, output: &str) {
    let parsed = dlayer::syntax::parse(source);
    let output_lines: std::collections::BTreeSet<&str> = output.lines().map(str::trim).collect();
    for item in &parsed.items {
        if let dlayer::syntax::Item::Comment(comment) = item {
            let line = comment.span.text(source).trim();
            assert!(
                output_lines.contains(line),
                "{name}: the comment `{line}` is lost\n{output}"
            );
        }
    }
}

/// A file left unchanged ships no sshd and no development tool: one that does is split or
/// refused, never left as it is (read through `lint`, not through the split's own findings).
fn check_unchanged_ships_no_blocker(name: &str, source: &str) {
    let found = blocker_findings(name, source, None);
    assert!(
        found.is_empty(),
        "{name}: left unchanged although its shipped image has {found:?}"
    );
}

/// The messages of `lint`'s sshd (HC002) and development tool (HC006) findings on `text`'s
/// stage `target` (the last stage when `None`).
fn blocker_findings(name: &str, text: &str, target: Option<&str>) -> Vec<String> {
    let options = LintOptions {
        select: vec!["HC002".into(), "HC006".into()],
        target: target.map(String::from),
        ..LintOptions::default()
    };
    lint_bytes(
        text.as_bytes(),
        Path::new(name),
        &options,
        None,
        &Settings::default(),
    )
    .diagnostics
    .iter()
    .map(|d| d.message.clone())
    .collect()
}

fn check_output(name: &str, output: &str) {
    let parsed = dlayer::syntax::parse(output);
    assert!(parsed.errors.is_empty(), "{name}: the split does not parse");
    let found = blocker_findings(name, output, Some("prod"));
    assert!(
        found.is_empty(),
        "{name}: prod still has {found:?}\n{output}"
    );
    let again = split(output, name, &SplitOptions::default(), Catalog::builtin());
    assert!(
        matches!(again, Ok(Outcome::Unchanged(_))),
        "{name}: splitting again changes it"
    );
    let fixed = |bytes: &[u8]| match fix_bytes(
        bytes,
        Path::new(name),
        &LintOptions::default(),
        None,
        &Settings::default(),
        FixOptions::default(),
    ) {
        FixOutcome::Fixed { text, .. } => text,
        FixOutcome::SyntaxErrors(_) => panic!("{name}: the split has syntax errors"),
    };
    let once = fixed(output.as_bytes());
    assert!(dlayer::syntax::parse(&once).errors.is_empty());
    assert_eq!(fixed(once.as_bytes()), once, "{name}: fix does not settle");
}

fn print(label: &str, tally: &Tally) {
    let refused: usize = tally.refused.values().sum();
    eprintln!(
        "{label}: {} files: {} split, {} unchanged, {} refused ({:.1}%); {} items removed from production; estimated {} MB saved in production (catalog estimates)",
        tally.files,
        tally.split,
        tally.unchanged,
        refused,
        100.0 * refused as f64 / tally.files.max(1) as f64,
        tally.removed_from_production,
        tally.saved_mb
    );
    for (reason, count) in &tally.refused {
        eprintln!("  {count:>3} × {reason}");
    }
}

#[test]
#[ignore = "needs the corpora: DLAYER_CORPUS_OFFICIAL, DLAYER_CORPUS_HEAVY (.ci/run sets them)"]
fn every_file_splits_verified_or_is_refused_with_a_reason() {
    let out = std::env::var_os("DLAYER_SPLIT_OUT").map(PathBuf::from);
    if let Some(out) = &out {
        fs::create_dir_all(out).unwrap();
    }
    let mut ran = false;
    if let Some(tally) = check_corpus("DLAYER_CORPUS_OFFICIAL", out.as_deref()) {
        print("official", &tally);
        ran = true;
    }
    if let Some(tally) = check_corpus("DLAYER_CORPUS_HEAVY", out.as_deref()) {
        print("heavy", &tally);
        // The target is 5%; 9 of 79 files are refused today, each for a reason a
        // split cannot work around yet (a build needing the compilers in production, an image
        // whose only service is sshd, a step writing both a dev tool's files and others). More
        // refusals than that is a regression.
        let refused: usize = tally.refused.values().sum();
        assert!(
            refused <= 9,
            "{refused} heavy files refused: more than the 9 known ones"
        );
        ran = true;
    }
    if let Some(tally) = check_corpus("DLAYER_CORPUS_WILD", None) {
        print("wild", &tally);
        let refused: usize = tally.refused.values().sum();
        let percent = 100.0 * refused as f64 / tally.files.max(1) as f64;
        eprintln!("wild refusal rate {percent:.1}% (the issue's ceiling: 25%)");
        assert!(
            percent <= WILD_REFUSAL_CEILING,
            "{percent:.1}% of the wild corpus refused: more than {WILD_REFUSAL_CEILING}%"
        );
        ran = true;
    }
    assert!(
        ran,
        "DLAYER_CORPUS_HEAVY/OFFICIAL not set: the corpora are needed (.ci/run sets them)"
    );
}
