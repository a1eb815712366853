//! Suppression pragmas: hadolint's inline ignore, the stage pragma, hadolint's list grammar.

use super::check_fixtures;
use dlayer::rules::Settings;

#[test]
fn dl1001_inline_ignore() {
    check_fixtures("DL1001", &Settings::default());
}

#[test]
fn dl1001_is_off_by_default() {
    let rule = dlayer::rules::find_rule("DL1001").unwrap();
    assert!(!rule.meta.default_enabled);
}

/// `# hadolint stage ignore=` / `# dlayer stage ignore=` right above a FROM: the whole stage,
/// its FROM included, and nothing of the next stage; above anything else it ignores nothing.
#[test]
fn stage_pragma_covers_its_stage() {
    let source = "# hadolint stage ignore=DL3006,DL3008\nFROM debian\nRUN apt-get install -y --no-install-recommends curl\n\
                  RUN apt-get install -y --no-install-recommends wget\n\
                  FROM ubuntu\nRUN apt-get install -y --no-install-recommends git\n\
                  # dlayer stage ignore=DL3008\nRUN apt-get install -y --no-install-recommends vim\n\
                  # dlayer stage ignore=apt-pin-versions\nFROM debian:12 AS last\nRUN apt-get install -y --no-install-recommends jq\n";
    let lines = |code: &str| -> Vec<usize> {
        let options = dlayer::lint::LintOptions {
            select: vec![code.to_string()],
            ..Default::default()
        };
        let linted = dlayer::lint::lint_bytes(
            source.as_bytes(),
            std::path::Path::new("Dockerfile"),
            &options,
            None,
            &Settings::default(),
        );
        linted
            .diagnostics
            .iter()
            .map(|d| linted.lines.line(d.span.start))
            .collect()
    };
    assert_eq!(
        lines("DL3006"),
        vec![5],
        "the first FROM is covered, the second is not"
    );
    assert_eq!(
        lines("DL3008"),
        vec![6, 8],
        "stage 2 has no pragma above its FROM"
    );
}

/// hadolint drops an ignore list with a name it cannot read: `ignore=crazy,DL3002` ignores
/// nothing (a dlayer pragma keeps the names it knows).
#[test]
fn hadolint_pragma_with_an_unknown_name_ignores_nothing() {
    let found = |pragma: &str| {
        let source = format!("FROM scratch\n{pragma}\nUSER root\n");
        let linted = dlayer::lint::lint_bytes(
            source.as_bytes(),
            std::path::Path::new("Dockerfile"),
            &Default::default(),
            None,
            &Settings::default(),
        );
        linted.diagnostics.iter().any(|d| d.code == "DL3002")
    };
    assert!(found("# hadolint ignore=crazy,DL3002"));
    assert!(!found("# hadolint ignore=DL3002"));
    assert!(!found("# dlayer ignore=crazy,DL3002"));
}
