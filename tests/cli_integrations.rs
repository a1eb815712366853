//! Where users already are: shell completions and man pages, checked by the real shells and
//! `man`. A check whose tool is not installed says so on standard error and is skipped; `.ci/run`
//! installs zsh and man-db so that CI runs every one.

mod common;

use std::process::{Command, Stdio};

use common::dlayer;

/// Whether `program` runs at all (`program --version`).
fn installed(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!("SKIPPED: `{program}` is not installed (.ci/run installs it)");
    }
    found
}

fn completion_script(shell: &str) -> String {
    let output = dlayer(&["completions", shell], None);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// `shell -n` reads the script without running it: a syntax error fails.
fn assert_shell_parses(shell: &str, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("dlayer.{shell}"));
    std::fs::write(&path, script).unwrap();
    let output = Command::new(shell).arg("-n").arg(&path).output().unwrap();
    assert!(
        output.status.success(),
        "{shell} -n rejects the script: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bash_completion_parses_and_knows_the_subcommands_and_flags() {
    let script = completion_script("bash");
    for word in ["lint", "fix", "fmt", "graph", "--baseline", "--format"] {
        assert!(script.contains(word), "bash completion lacks {word}");
    }
    if installed("bash") {
        assert_shell_parses("bash", &script);
    }
}

#[test]
fn zsh_completion_parses() {
    let script = completion_script("zsh");
    assert!(script.starts_with("#compdef dlayer"));
    assert!(script.contains("--failure-threshold"));
    if installed("zsh") {
        assert_shell_parses("zsh", &script);
    }
}

#[test]
fn fish_powershell_and_elvish_scripts_are_generated() {
    assert!(completion_script("fish").contains("complete -c dlayer"));
    assert!(completion_script("powershell").contains("Register-ArgumentCompleter"));
    assert!(completion_script("elvish").contains("edit:completion:arg-completer[dlayer]"));
    if installed("fish") {
        assert_shell_parses("fish", &completion_script("fish"));
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let output = dlayer(&["completions", "tcsh"], None);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_man_page_per_command_renders_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let output = dlayer(&["manpages", out.to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    for expected in [
        "dlayer.1",
        "dlayer-lint.1",
        "dlayer-fix.1",
        "dlayer-graph.1",
    ] {
        assert!(pages.iter().any(|page| page == expected), "{pages:?}");
    }
    if !installed("man") {
        return;
    }
    for page in &pages {
        let rendered = Command::new("man")
            .args(["--warnings", "-l"])
            .arg(out.join(page))
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&rendered.stdout);
        let warnings = String::from_utf8_lossy(&rendered.stderr);
        assert!(rendered.status.success(), "man -l {page}: {warnings}");
        assert!(
            warnings.trim().is_empty(),
            "man -l {page} warns: {warnings}"
        );
        let name = page.trim_end_matches(".1");
        assert!(
            text.contains("NAME") && text.contains(name),
            "{page}:\n{text}"
        );
    }
    let lint = Command::new("man")
        .arg("-l")
        .arg(out.join("dlayer-lint.1"))
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&lint.stdout).contains("--failure-threshold"));
}

#[test]
fn man_pages_into_an_unwritable_place_fail_cleanly() {
    let output = dlayer(&["manpages", "Cargo.toml/man1"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write man pages to"));
}
