//! `dlayer fix` over real Dockerfiles (`$DLAYER_CORPUS`, directories separated by `:`): with
//! unsafe fixes on, every result parses, and fixing it again changes nothing.

use std::fs;
use std::path::Path;

use dlayer::fix::{FixOptions, Outcome, fix_bytes};
use dlayer::lint::LintOptions;
use dlayer::rules::Settings;

#[test]
#[ignore = "needs the corpora: DLAYER_CORPUS=../shared/corpus/official:../shared/corpus/heavy (.ci/run sets it)"]
fn fixes_never_break_a_file_and_settle() {
    let Some(dirs) = std::env::var_os("DLAYER_CORPUS") else {
        panic!("DLAYER_CORPUS is not set: the corpora are needed (.ci/run sets it)");
    };
    let options = FixOptions { unsafe_fixes: true };
    let (mut files, mut changed, mut fixes) = (0, 0, 0);
    for dir in std::env::split_paths(&dirs) {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|ext| ext == "tsv" || ext == "md")
            {
                continue;
            }
            files += 1;
            let bytes = fs::read(&path).unwrap();
            let lint = LintOptions::default();
            let settings = Settings::default();
            let fixed = match fix_bytes(&bytes, &path, &lint, None, &settings, options) {
                Outcome::Fixed {
                    text,
                    applied,
                    warnings,
                    ..
                } => {
                    assert!(warnings.is_empty(), "{}: {warnings:?}", path.display());
                    fixes += applied.len();
                    text
                }
                Outcome::SyntaxErrors(_) => continue,
            };
            if fixed.as_bytes() == bytes.as_slice() {
                continue;
            }
            changed += 1;
            match fix_bytes(
                fixed.as_bytes(),
                Path::new(&path),
                &lint,
                None,
                &settings,
                options,
            ) {
                Outcome::Fixed { text, applied, .. } => {
                    assert!(
                        applied.is_empty() && text == fixed,
                        "{}: fixing twice changed it",
                        path.display()
                    )
                }
                other => panic!("{}: the fixed file fails: {other:?}", path.display()),
            }
        }
    }
    println!("fix corpus: {files} files, {changed} changed by {fixes} fixes, all parse and settle");
}
