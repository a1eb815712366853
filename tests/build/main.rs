//! Real builds judge every migration: each heavy Dockerfile of `tests/build/cases` is split
//! with `dlayer fix --split --verify` and fixed with `dlayer fix --verify`, both building the
//! original and the rewrite with the local Docker engine and comparing the images; the
//! outcomes must be the ones `expectations.toml` records (a known split defect is recorded as
//! such until the split is fixed). `faults/` holds a faithful hand-written rewrite and three
//! faulty ones, one per fault `dlayer verify` must report.
//!
//! Needs a Docker engine with debian:bookworm images: `scripts/engine.sh`, then
//! `cargo test --test build -- --ignored --nocapture`.
//!
//! Environment: `DLAYER_BUILD_CASES=a,b` runs only those cases; `DLAYER_BUILD_SUITE_BINARY` is
//! the dlayer to judge (CI passes the release binary it has already built, whose image hashing
//! is faster than the debug one's; default: the binary Cargo built with this test);
//! `DLAYER_BUILD_JOBS` is how many cases build at a time (default 2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

/// Seconds each command runs before its state is compared (the default is 8).
const SETTLE: &str = "3";

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/build")
}

/// Panics with how to get an engine: an ignored test that is asked to run never passes idly.
fn require_engine() {
    let answers = Command::new("docker")
        .args(["image", "inspect", "debian:bookworm", "debian:12-slim"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        answers,
        "no Docker engine with debian:bookworm and debian:12-slim: run scripts/engine.sh first"
    );
}

/// The dlayer under judgement: `DLAYER_BUILD_SUITE_BINARY`, else the one built with this test.
fn dlayer_binary() -> PathBuf {
    std::env::var_os("DLAYER_BUILD_SUITE_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dlayer")))
}

/// `dlayer ARGS` in `dir` with `input` on standard input.
fn dlayer_in(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(dlayer_binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dlayer runs");
    let mut stdin = child.stdin.take().expect("piped");
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("dlayer finishes")
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Outcome {
    /// Rewritten, built, and the images are equivalent: the rewrite is written.
    Verified,
    /// Nothing to rewrite.
    Unchanged,
    /// Refused before any build (the static verifier or the planner says why).
    Refused,
    /// Built, and the images differ: refused with the list.
    Differs,
    /// The rewrite (or the original) does not build.
    DoesNotBuild,
    /// In expectations.toml only: not recorded yet (no full run has finished with it); the
    /// run prints what happened, to be recorded.
    Pending,
}

#[derive(Debug, serde::Deserialize)]
struct Expectation {
    split: Outcome,
    fix: Outcome,
    /// Why, for anything but `verified`/`unchanged`.
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
    /// Wall seconds the case took in the last full run (its printed `(N s)`): the suite starts
    /// the longest cases first, so that the run does not end with one long case building alone.
    #[serde(default)]
    seconds: Option<u32>,
}

struct Run {
    case: String,
    split: Outcome,
    split_detail: String,
    fix: Outcome,
    fix_detail: String,
}

fn classify(output: &Output, input: &[u8]) -> (Outcome, String) {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let outcome = match output.status.code() {
        Some(0) if stderr.contains("unchanged") || output.stdout == input => Outcome::Unchanged,
        Some(0) => Outcome::Verified,
        Some(1) if stderr.contains("not written") => Outcome::Differs,
        Some(1) => Outcome::Refused,
        _ if stderr.contains("does not build") => Outcome::DoesNotBuild,
        other => panic!("dlayer exited with {other:?}:\n{stderr}"),
    };
    (outcome, stderr)
}

/// The original built once under a tag the suite keeps: its layers stay in the builder's cache
/// for both verifications of the case.
fn build_original(dir: &Path, tag: &str) {
    let output = Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", tag, "."])
        .current_dir(dir)
        .output()
        .expect("docker runs");
    assert!(
        output.status.success(),
        "{}: the original does not build:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn run_case(dir: &Path) -> Run {
    let case = dir.file_name().unwrap().to_string_lossy().into_owned();
    let tag = format!("dlayer-build-suite-{case}:original");
    build_original(dir, &tag);
    let input = std::fs::read(dir.join("Dockerfile")).expect("case Dockerfile");
    let split = dlayer_in(
        dir,
        &["fix", "--split", "--verify", "--settle", SETTLE, "-"],
        &input,
    );
    let (split, split_detail) = classify(&split, &input);
    // --exit-zero: findings no safe fix removes remain, which alone would exit 1.
    let fix = dlayer_in(
        dir,
        &["fix", "--verify", "--exit-zero", "--settle", SETTLE, "-"],
        &input,
    );
    let (fix, fix_detail) = classify(&fix, &input);
    let _ = Command::new("docker")
        .args(["rmi", "-f", &tag])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    Run {
        case,
        split,
        split_detail,
        fix,
        fix_detail,
    }
}

fn count(runs: &[Run], pick: fn(&Run) -> &Outcome, outcome: Outcome) -> usize {
    runs.iter().filter(|run| *pick(run) == outcome).count()
}

#[test]
#[ignore = "needs a Docker engine (scripts/engine.sh)"]
fn every_case_is_split_and_fixed_and_judged_by_real_builds() {
    require_engine();
    let expectations: BTreeMap<String, Expectation> = toml::from_str(
        &std::fs::read_to_string(suite_dir().join("expectations.toml")).expect("expectations"),
    )
    .expect("expectations.toml parses");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(suite_dir().join("cases"))
        .expect("cases")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("Dockerfile").is_file())
        .collect();
    cases.sort();
    if let Ok(only) = std::env::var("DLAYER_BUILD_CASES") {
        cases.retain(|path| only.split(',').any(|name| path.ends_with(name)));
    }
    assert!(
        cases.len() >= 20 || std::env::var("DLAYER_BUILD_CASES").is_ok(),
        "at least 20 cases"
    );
    // Longest first: the queue is taken from its end, so it is sorted shortest first. A case
    // without a recorded time counts as the longest: it may well be.
    let seconds_of = |path: &PathBuf| {
        let case = path.file_name().unwrap().to_string_lossy();
        expectations
            .get(case.as_ref())
            .and_then(|expected| expected.seconds)
            .unwrap_or(u32::MAX)
    };
    cases.sort_by_key(seconds_of);
    // Two cases at a time by default: most of a build is waiting for the network or dpkg.
    let jobs: usize = std::env::var("DLAYER_BUILD_JOBS")
        .ok()
        .map(|jobs| jobs.parse().expect("DLAYER_BUILD_JOBS is a number"))
        .unwrap_or(2);
    println!(
        "dlayer: {}; {jobs} cases at a time",
        dlayer_binary().display()
    );
    let queue = Mutex::new(cases.clone());
    let runs = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    // The lock is released before the case runs: held in a `while let`
                    // scrutinee, the guard lived through the whole case and the cases ran one
                    // at a time.
                    let next = queue.lock().unwrap().pop();
                    let Some(dir) = next else { break };
                    let started = std::time::Instant::now();
                    let run = run_case(&dir);
                    println!(
                        "{:<28} split {:<14} fix {:<14} ({:.0} s)",
                        run.case,
                        format!("{:?}", run.split),
                        format!("{:?}", run.fix),
                        started.elapsed().as_secs_f64()
                    );
                    for (outcome, detail) in
                        [(&run.split, &run.split_detail), (&run.fix, &run.fix_detail)]
                    {
                        let shown = match outcome {
                            Outcome::Verified | Outcome::Unchanged => continue,
                            Outcome::DoesNotBuild => tail(detail, 6),
                            _ => first_lines(detail, 6),
                        };
                        println!("    {}", shown.replace('\n', "\n    "));
                    }
                    runs.lock().unwrap().push(run);
                }
            });
        }
    });
    let mut runs = runs.into_inner().unwrap();
    runs.sort_by(|a, b| a.case.cmp(&b.case));
    let split: fn(&Run) -> &Outcome = |run| &run.split;
    let fix: fn(&Run) -> &Outcome = |run| &run.fix;
    println!(
        "figures: {} cases; split: {} verified, {} unchanged, {} refused before building, {} refused by the builds ({} differ, {} do not build); fix: {} verified, {} unchanged, {} refused by the builds",
        runs.len(),
        count(&runs, split, Outcome::Verified),
        count(&runs, split, Outcome::Unchanged),
        count(&runs, split, Outcome::Refused),
        count(&runs, split, Outcome::Differs) + count(&runs, split, Outcome::DoesNotBuild),
        count(&runs, split, Outcome::Differs),
        count(&runs, split, Outcome::DoesNotBuild),
        count(&runs, fix, Outcome::Verified),
        count(&runs, fix, Outcome::Unchanged),
        count(&runs, fix, Outcome::Differs) + count(&runs, fix, Outcome::DoesNotBuild),
    );
    let mut mismatches = Vec::new();
    let mut pending = Vec::new();
    for run in &runs {
        let Some(expected) = expectations.get(&run.case) else {
            mismatches.push(format!(
                "{}: no expectation recorded (split {:?}, fix {:?})",
                run.case, run.split, run.fix
            ));
            continue;
        };
        if expected.split == Outcome::Pending || expected.fix == Outcome::Pending {
            pending.push(format!(
                "PENDING {}: record split = {:?}, fix = {:?} in tests/build/expectations.toml",
                run.case, run.split, run.fix
            ));
        }
        if expected.split != run.split && expected.split != Outcome::Pending {
            mismatches.push(format!(
                "{}: split expected {:?}, got {:?}:\n{}",
                run.case,
                expected.split,
                run.split,
                tail(&run.split_detail, 25)
            ));
        }
        if expected.fix != run.fix && expected.fix != Outcome::Pending {
            mismatches.push(format!(
                "{}: fix expected {:?}, got {:?}:\n{}",
                run.case,
                expected.fix,
                run.fix,
                tail(&run.fix_detail, 25)
            ));
        }
    }
    for line in &pending {
        println!("{line}");
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

/// The first lines of a long message.
fn first_lines(text: &str, count: usize) -> String {
    text.lines().take(count).collect::<Vec<_>>().join("\n")
}

/// The last lines of a long message.
fn tail(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// `dlayer verify --format json` of a hand-written rewrite in `faults/`.
fn verify_fault(rewritten: &str) -> (Option<i32>, serde_json::Value, String) {
    let dir = suite_dir().join("faults");
    let output = dlayer_in(
        &dir,
        &[
            "verify",
            "--format",
            "json",
            "--settle",
            SETTLE,
            "Dockerfile",
            rewritten,
        ],
        b"",
    );
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (
        output.status.code(),
        json,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn differences_of(json: &serde_json::Value) -> Vec<(String, String)> {
    json["differences"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or("").to_string(),
                d["subject"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs a Docker engine (scripts/engine.sh)"]
fn verify_reports_each_fault_of_the_issue_and_nothing_on_a_faithful_rewrite() {
    require_engine();
    let tag = "dlayer-build-suite-faults:original";
    build_original(&suite_dir().join("faults"), tag);
    let (code, json, stderr) = verify_fault("faithful.Dockerfile");
    assert_eq!(code, Some(0), "faithful: {json:#}\n{stderr}");
    assert_eq!(json["equivalent"], true);
    assert!(
        json["checked"]["packages"].as_u64().unwrap_or(0) > 100,
        "{json:#}"
    );

    // 1. The chown moved before the step that creates $APP_HOME: production does not build.
    let (code, json, stderr) = verify_fault("fault-order.Dockerfile");
    assert_eq!(code, Some(2), "order: {json:#}\n{stderr}");
    assert_eq!(json["error"], "build");
    assert!(
        stderr.contains("does not build") && stderr.contains("chown: cannot access '/opt/app'"),
        "{stderr}"
    );

    // 2. The supervisord program list moved to dev: production's supervisord has no programs.
    let (code, json, stderr) = verify_fault("fault-supervisor.Dockerfile");
    assert_eq!(code, Some(1), "supervisor: {stderr}");
    let differences = differences_of(&json);
    assert!(
        differences.contains(&(
            "file-missing".into(),
            "/etc/supervisor/conf.d/app.conf".into()
        )),
        "{differences:?}"
    );

    // 3. --no-install-recommends: production loses the recommended packages, and dev is no
    //    longer the original plus extras.
    let (code, json, stderr) = verify_fault("fault-recommends.Dockerfile");
    assert_eq!(code, Some(1), "recommends: {stderr}");
    let differences = differences_of(&json);
    for package in ["exim4-base", "bsd-mailx"] {
        assert!(
            differences.contains(&("package-missing".into(), package.into())),
            "{package}: {differences:?}"
        );
        assert!(
            differences.contains(&("dev-package-missing".into(), package.into())),
            "{package} in dev: {differences:?}"
        );
    }
    let _ = Command::new("docker").args(["rmi", "-f", tag]).output();
}
