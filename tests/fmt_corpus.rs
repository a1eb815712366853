//! `dlayer fmt` over real Dockerfiles: every file BuildKit parses formats to a fixed point
//! whose BuildKit parse is the original's.
//!
//! The corpora are named by `$DLAYER_FMT_CORPUS` (directories, `:`-separated); `.ci/run`
//! points it at `../shared/corpus/{official,heavy,wild}` and sets `$DLAYER_FMT_OUT` to a
//! directory that receives the formatted files, for `dlayer fmt --check` and the BuildKit
//! oracle (`scripts/fmt_oracle.py`) to check again.

use std::path::{Path, PathBuf};

use dlayer::format::{self, FormatError, Options, same_meaning};
use dlayer::syntax;

fn files(dirs: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in dirs.split(':').filter(|dir| !dir.is_empty()) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {dir}: {e}"));
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_file() && !name.ends_with(".tsv") && !name.ends_with(".md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A name for the formatted copy: the corpus directory's name and the file's.
fn out_name(path: &Path) -> String {
    let dir = path.parent().and_then(Path::file_name).unwrap_or_default();
    format!(
        "{}__{}",
        dir.to_string_lossy(),
        path.file_name().unwrap().to_string_lossy()
    )
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    rejected_by_buildkit: usize,
    unchanged: usize,
    changed: usize,
    dump_identical: usize,
    dump_equal_up_to_shell_blanks: usize,
}

#[test]
#[ignore = "needs the corpora: .ci/run runs it with DLAYER_FMT_CORPUS=../shared/corpus/..."]
fn corpus_formats_to_a_fixed_point_with_the_same_parse() {
    let dirs = std::env::var("DLAYER_FMT_CORPUS")
        .expect("DLAYER_FMT_CORPUS must name the corpus directories (`:`-separated)");
    let out_dir = std::env::var_os("DLAYER_FMT_OUT").map(PathBuf::from);
    let options = Options::default();
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for path in files(&dirs) {
        counts.files += 1;
        let bytes = std::fs::read(&path).unwrap();
        let Ok(source) = String::from_utf8(bytes) else {
            counts.rejected_by_buildkit += 1;
            continue;
        };
        let formatted = match format::format(&source, &options) {
            Ok(formatted) => formatted,
            Err(FormatError::Syntax(_)) => {
                counts.rejected_by_buildkit += 1;
                continue;
            }
            Err(error) => {
                failures.push(format!("{}: {error}", path.display()));
                continue;
            }
        };
        if formatted == source {
            counts.unchanged += 1;
        } else {
            counts.changed += 1;
        }
        match format::format(&formatted, &options) {
            Ok(again) if again == formatted => {}
            Ok(again) => {
                let diff = similar::TextDiff::from_lines(&formatted, &again)
                    .unified_diff()
                    .to_string();
                failures.push(format!("{}: not a fixed point\n{diff}", path.display()));
            }
            Err(error) => failures.push(format!("{}: output: {error}", path.display())),
        }
        let before = syntax::dump(&syntax::parse(&source));
        let after = syntax::dump(&syntax::parse(&formatted));
        if before == after {
            counts.dump_identical += 1;
        } else if same_meaning(&source, &formatted, &options).is_ok() {
            counts.dump_equal_up_to_shell_blanks += 1;
        } else {
            failures.push(format!("{}: the BuildKit parse changed", path.display()));
        }
        if let Some(out_dir) = &out_dir {
            std::fs::create_dir_all(out_dir).unwrap();
            std::fs::write(out_dir.join(out_name(&path)), &formatted).unwrap();
        }
    }
    eprintln!("fmt corpus: {counts:#?}");
    assert!(counts.files > 0, "no files under {dirs}");
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        counts.files,
        failures.join("\n")
    );
}
