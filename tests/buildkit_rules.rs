//! BuildKit's checks end to end (`lint_bytes`): the `# check=` directive and its build
//! argument, the hadolint twins folded into one finding, the build context, and every fix
//! applied and re-parsed.

use std::fs;
use std::path::Path;

use dlayer::lint::{LintOptions, lint_bytes};
use dlayer::rules::{Applicability, Diagnostic, Settings, Severity};

fn lint_in(dir: &Path, source: &str, options: &LintOptions) -> Vec<Diagnostic> {
    let path = dir.join("Dockerfile");
    fs::write(&path, source).unwrap();
    lint_bytes(
        source.as_bytes(),
        &path,
        options,
        None,
        &Settings::default(),
    )
    .diagnostics
}

fn lint(source: &str, options: &LintOptions) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    lint_in(dir.path(), source, options)
}

fn select(selectors: &[&str]) -> LintOptions {
    LintOptions {
        select: selectors.iter().map(|s| s.to_string()).collect(),
        ..LintOptions::default()
    }
}

fn codes(found: &[Diagnostic]) -> Vec<&str> {
    found.iter().map(|d| d.code).collect()
}

/// The source with the finding's fix applied, which must still parse without errors.
fn fixed(source: &str, diagnostic: &Diagnostic) -> String {
    let mut edits = diagnostic.fix.as_ref().expect("a fix").edits.clone();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start));
    let mut out = source.to_string();
    for edit in edits {
        out.replace_range(edit.span.start..edit.span.end, &edit.replacement);
    }
    assert!(
        dlayer::syntax::parse(&out).syntax_errors().is_empty(),
        "{out}"
    );
    out
}

fn only<'a>(found: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let matching: Vec<_> = found.iter().filter(|d| d.code == code).collect();
    assert_eq!(matching.len(), 1, "{code} in {found:#?}");
    matching[0]
}

#[test]
fn twins_are_one_finding_under_the_hadolint_code() {
    let source = "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS a\n";
    let found = lint(source, &select(&["DL3024", "BK005"]));
    assert_eq!(codes(&found), ["DL3024"]);
    assert_eq!(found[0].twins[0].name, "DuplicateStageName");
    assert_eq!(found[0].severity, Severity::Error);
    // Only BuildKit's checks: shown as the check, with its message.
    let buildkit = lint(source, &select(&["BK"]));
    assert_eq!(codes(&buildkit), ["BK005"]);
    assert_eq!(
        buildkit[0].message,
        "Duplicate stage name \"a\", stage names should be unique"
    );
    assert_eq!(buildkit[0].severity, Severity::Warning);
    // Either code's ignore silences it; a family prefix keeps the other identity.
    let ignore = |selectors: &[&str]| LintOptions {
        ignore: selectors.iter().map(|s| s.to_string()).collect(),
        ..select(&["DL3024", "BK005"])
    };
    assert!(lint(source, &ignore(&["DuplicateStageName"])).is_empty());
    assert!(lint(source, &ignore(&["DL3024"])).is_empty());
    assert_eq!(codes(&lint(source, &ignore(&["BK"]))), ["DL3024"]);
    assert_eq!(codes(&lint(source, &ignore(&["DL"]))), ["BK005"]);
}

#[test]
fn pragmas_of_either_twin_silence_the_finding() {
    for pragma in [
        "# check=skip=JSONArgsRecommended",
        "# hadolint ignore=DL3025",
        "# dlayer ignore=BK007",
        "# dlayer ignore=JSONArgsRecommended",
    ] {
        let source = format!("FROM alpine:3.20\n{pragma}\nCMD run\nCMD [\"x\"]\n");
        for selection in [&["DL3025", "BK007"][..], &["BK"][..], &["DL"][..]] {
            let found = lint(&source, &select(selection));
            assert!(
                !found
                    .iter()
                    .any(|d| d.code == "DL3025" || d.code == "BK007"),
                "{pragma} {selection:?}: {found:#?}"
            );
        }
    }
}

#[test]
fn check_directive_skips_and_makes_errors() {
    let source = "# check=skip=FromAsCasing;error=true\nFROM alpine:3.20 as base\nENV A b\n";
    let found = lint(source, &select(&["BK"]));
    assert_eq!(codes(&found), ["BK013"]);
    assert_eq!(found[0].severity, Severity::Error);
    // The build argument replaces the directive entirely.
    let options = LintOptions {
        build_args: vec![(
            "BUILDKIT_DOCKERFILE_CHECK".into(),
            "skip=LegacyKeyValueFormat".into(),
        )],
        ..select(&["BK"])
    };
    let found = lint(source, &options);
    assert_eq!(codes(&found), ["BK002"]);
    assert_eq!(found[0].severity, Severity::Warning);
    // Names are case-sensitive, as in BuildKit.
    let found = lint(
        "# check=skip=fromascasing\nFROM alpine:3.20 as base\n",
        &select(&["BK"]),
    );
    assert_eq!(codes(&found), ["BK002"]);
}

#[test]
fn a_bad_check_directive_is_an_error_finding() {
    let found = lint(
        "# check=skip=A;bogus=1\nFROM alpine:3.20\n",
        &LintOptions::default(),
    );
    let error = only(&found, "E002");
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(error.message, "invalid check option \"bogus\"");
    let found = lint(
        "# check=error=maybe\nFROM alpine:3.20\n",
        &LintOptions::default(),
    );
    assert!(only(&found, "E002").message.contains("error=maybe"));
    let options = LintOptions {
        build_args: vec![("BUILDKIT_DOCKERFILE_CHECK".into(), "skip".into())],
        ..LintOptions::default()
    };
    let found = lint("FROM alpine:3.20\n", &options);
    assert!(
        only(&found, "E002")
            .message
            .contains("BUILDKIT_DOCKERFILE_CHECK")
    );
}

#[test]
fn a_check_comment_above_an_instruction_skips_there_only() {
    let source =
        "FROM alpine:3.20\n# check=skip=LegacyKeyValueFormat // reason\nENV A b\nENV C d\n";
    let found = lint(source, &select(&["BK013"]));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span.start, source.find("C d").unwrap());
}

#[test]
fn experimental_checks_run_only_when_enabled() {
    let source = "# bad comment\nARG VERSION=1\nFROM alpine:3.20\n";
    assert!(
        lint(source, &LintOptions::default())
            .iter()
            .all(|d| d.code != "BK022")
    );
    let enabled = "# check=skip=all;experimental=InvalidDefinitionDescription\n\n# bad comment\nARG VERSION=1\nFROM alpine:3.20 AS Base\n";
    let found = lint(enabled, &LintOptions::default());
    assert_eq!(
        only(&found, "BK022").message,
        "Comment for ARG should follow the format: `# VERSION <description>`"
    );
    assert!(
        found.iter().all(|d| d.code != "BK001"),
        "skip=all still skips the others"
    );
    let found = lint(source, &select(&["InvalidDefinitionDescription"]));
    assert_eq!(codes(&found), ["BK022"]);
}

#[test]
fn the_ignore_file_of_the_build_context() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".dockerignore"), "*.log\n").unwrap();
    let source = "FROM alpine:3.20\nCOPY app.log notes.txt /srv/\n";
    let found = lint_in(dir.path(), source, &select(&["BK018"]));
    assert_eq!(
        only(&found, "BK018").message,
        "Attempting to Copy file \"app.log\" that is excluded by .dockerignore"
    );
    // `Dockerfile.dockerignore` next to the Dockerfile wins over the context's.
    fs::write(dir.path().join("Dockerfile.dockerignore"), "notes.txt\n").unwrap();
    let found = lint_in(dir.path(), source, &select(&["BK018"]));
    assert!(only(&found, "BK018").message.contains("notes.txt"));
    // `--context` names another directory for `.dockerignore`.
    fs::remove_file(dir.path().join("Dockerfile.dockerignore")).unwrap();
    let context = tempfile::tempdir().unwrap();
    let options = LintOptions {
        context: Some(context.path().to_path_buf()),
        ..select(&["BK018"])
    };
    assert!(lint_in(dir.path(), source, &options).is_empty());
}

#[test]
fn undefined_variables_where_the_image_environment_is_known() {
    let options = select(&["BK011"]);
    // Ubuntu sets only PATH: every undefined variable is reported.
    let found = lint("FROM ubuntu:24.04\nWORKDIR $APP_HOME/src\n", &options);
    assert_eq!(
        only(&found, "BK011").message,
        "Usage of undefined variable '$APP_HOME'"
    );
    // An image the catalog does not know may define it.
    assert!(lint("FROM example.com/base:1\nWORKDIR $APP_HOME/src\n", &options).is_empty());
    // Used before its ARG: reported whatever the image.
    let found = lint(
        "FROM example.com/base:1\nCOPY $SRC /x\nARG SRC=app\n",
        &options,
    );
    assert_eq!(codes(&found), ["BK011"]);
}

#[test]
fn base_image_platform_from_the_catalog() {
    let source = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD [\"cmd\"]\n";
    assert!(lint(source, &select(&["BK019"])).is_empty());
    let options = LintOptions {
        platform: Some("linux/arm64".into()),
        ..select(&["BK019"])
    };
    let found = lint(source, &options);
    assert!(
        only(&found, "BK019")
            .message
            .contains("expected \"linux/arm64\"")
    );
}

fn fix_of(source: &str, code: &str) -> (Applicability, String) {
    let found = lint(source, &select(&[code]));
    let diagnostic = only(&found, code);
    (
        diagnostic.fix.as_ref().unwrap().applicability,
        fixed(source, diagnostic),
    )
}

#[test]
fn fixes() {
    use Applicability::{Safe, Unsafe};
    let cases: &[(&str, &str, Applicability, &str)] = &[
        (
            "BK001",
            "FROM alpine:3.20 AS Build\n",
            Safe,
            "FROM alpine:3.20 AS build\n",
        ),
        (
            "BK002",
            "FROM alpine:3.20 as build\n",
            Safe,
            "FROM alpine:3.20 AS build\n",
        ),
        (
            "BK003",
            "FROM alpine:3.20\nRUN echo a \\\n\n  b\n",
            Safe,
            "FROM alpine:3.20\nRUN echo a \\\n  b\n",
        ),
        (
            "BK004",
            "FROM alpine:3.20\nCOPY a /a\nrun echo\n",
            Safe,
            "FROM alpine:3.20\nCOPY a /a\nRUN echo\n",
        ),
        (
            "BK008",
            "FROM alpine:3.20\nMAINTAINER Jane \"JD\" Doe\n",
            Unsafe,
            "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" Doe\"\n",
        ),
        (
            "BK013",
            "FROM alpine:3.20\nENV JAVA_OPTS -Xmx1g  -Xms1g\n",
            Safe,
            "FROM alpine:3.20\nENV JAVA_OPTS=-Xmx1g\\ \\ -Xms1g\n",
        ),
        (
            "BK013",
            "FROM alpine:3.20\nLABEL description \"a b\" c\n",
            Safe,
            "FROM alpine:3.20\nLABEL description=\"a b\"\\ c\n",
        ),
        (
            "BK014",
            "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
            Safe,
            "FROM alpine:3.20\n",
        ),
        (
            "BK020",
            "FROM alpine:3.20\nEXPOSE 80/TCP\n",
            Safe,
            "FROM alpine:3.20\nEXPOSE 80/tcp\n",
        ),
        (
            "BK021",
            "FROM alpine:3.20\nEXPOSE 8080:80/udp\n",
            Safe,
            "FROM alpine:3.20\nEXPOSE 80/udp\n",
        ),
    ];
    for (code, source, applicability, expected) in cases {
        let (got_applicability, got) = fix_of(source, code);
        assert_eq!(
            (got_applicability, got.as_str()),
            (*applicability, *expected),
            "{code}"
        );
        assert!(
            lint(&got, &select(&[code])).is_empty(),
            "{code}: fixing again finds more in {got}"
        );
    }
}

#[test]
fn stage_names_in_a_long_file_are_judged_against_every_stage() {
    // 200 stages named s0..s99 twice over; stage i copies from s((i+1) mod 100): a later stage
    // for the first 99, an earlier one from then on.
    let source: String = (0..200)
        .map(|i| {
            format!(
                "FROM alpine:3.20 AS s{}\nCOPY --from=s{} /a /b\n",
                i % 100,
                (i + 1) % 100
            )
        })
        .collect();
    let found = lint(&source, &select(&["DL3022", "DL3024", "BK005"]));
    let duplicates: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "DL3024").collect();
    assert_eq!(duplicates.len(), 100);
    for (n, duplicate) in duplicates.iter().enumerate() {
        assert_eq!(duplicate.twins[0].name, "DuplicateStageName");
        let first_line = 2 * n + 1;
        assert_eq!(
            duplicate.message,
            format!("Stage name `s{n}` is already used by the stage on line {first_line}.")
        );
    }
    let later: Vec<&Diagnostic> = found.iter().filter(|d| d.code == "DL3022").collect();
    assert_eq!(later.len(), 99);
    for (n, finding) in later.iter().enumerate() {
        assert!(
            finding
                .message
                .starts_with(&format!("`--from=s{}` names a later stage", n + 1)),
            "{}",
            finding.message
        );
    }
}
