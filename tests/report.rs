//! The output formats, on hand-made reports: snapshots of every format, plus the checks that a
//! snapshot cannot make (schema validity, exact positions, XML well-formedness, escaping).
//!
//! `tests/data/sarif-schema-2.1.0.json` is the official SARIF 2.1.0 JSON schema published by
//! OASIS (`https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json`,
//! JSON Schema draft-04), copied unchanged from the project's `shared/reference/schemas/`.
//! Copyright OASIS Open, distributed under the OASIS IPR Policy and copyright notice, which allow
//! copying it unmodified; it is test data only and is not shipped in the crate's binary.

use dlayer::report::{FileReport, Format, Options, render};
use dlayer::rules::{Applicability, Diagnostic, Edit, Fix, RULES, Severity};
use dlayer::syntax::Span;
use serde_json::Value;

const APP: &str = "FROM ubuntu:22.04
LABEL description=\"Zoë's café ☕\"
RUN apt-get update && apt-get upgrade -y
RUN echo \"héllo wörld ☕\" && apt-get install -y openssh-server vim
EXPOSE 22
CMD [\"/usr/sbin/sshd\", \"-D\"]
";

const CLEAN: &str = "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nCMD [\"/app\"]\n";

const BROKEN: &str = "FROM alpine\r\nRUN <<EOF\r\necho hi\r\n";

/// The byte span of the `nth` (0-based) occurrence of `needle` in `source`.
fn find(source: &str, needle: &str, nth: usize) -> Span {
    let start = source
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the fixture"))
        .0;
    Span::new(start, start + needle.len())
}

fn diagnostic(code: &'static str, severity: Severity, message: &str, span: Span) -> Diagnostic {
    let rule = RULES
        .iter()
        .find(|rule| rule.meta.code == code)
        .unwrap_or_else(|| panic!("{code} is not a rule"));
    Diagnostic {
        code,
        name: rule.meta.name,
        severity,
        message: message.to_string(),
        span,
        layer: rule.meta.layer,
        fix: None,
        twins: Vec::new(),
    }
}

fn app_diagnostics() -> Vec<Diagnostic> {
    let mut base = diagnostic(
        "HC001",
        Severity::Warning,
        "`ubuntu:22.04` is a full OS image; a slim or distroless base would do",
        find(APP, "ubuntu:22.04", 0),
    );
    base.fix = Some(Fix {
        message: "Pick a smaller base image".into(),
        applicability: Applicability::DisplayOnly,
        edits: vec![],
    });
    let two_runs = find(APP, "RUN", 0).cover(find(APP, "openssh-server vim", 0));
    let sprawl = diagnostic(
        "HC010",
        Severity::Info,
        "2 separate OS-package-install RUNs in this stage",
        two_runs,
    );
    let mut upgrade = diagnostic(
        "HC009",
        Severity::Warning,
        "`apt-get upgrade` upgrades the base image's packages in the build",
        find(APP, "apt-get upgrade -y", 0),
    );
    upgrade.fix = Some(Fix {
        message: "Remove `apt-get upgrade -y`".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit {
            span: find(APP, " && apt-get upgrade -y", 0),
            replacement: String::new(),
        }],
    });
    let ssh = diagnostic(
        "HC002",
        Severity::Error,
        "`openssh-server` installs an SSH server",
        find(APP, "openssh-server", 0),
    );
    let mut vim = diagnostic(
        "HC006",
        Severity::Style,
        "`vim` is an editor",
        find(APP, "vim", 0),
    );
    vim.fix = Some(Fix {
        message: "Move `vim` to the dev image".into(),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: find(APP, " vim", 0),
            replacement: String::new(),
        }],
    });
    let expose = diagnostic(
        "HC002",
        Severity::Error,
        "port 22: \"sshd\" & <debug>, 100% dev-only",
        find(APP, "22", 1),
    );
    let sshd = diagnostic(
        "HC002",
        Severity::Error,
        "CMD starts sshd",
        find(APP, "\"/usr/sbin/sshd\"", 0),
    );
    vec![base, sprawl, upgrade, ssh, vim, expose, sshd]
}

fn files() -> Vec<FileReport> {
    vec![
        FileReport {
            lines: None,
            path: "Dockerfile".into(),
            source: APP.into(),
            diagnostics: app_diagnostics(),
            error: None,
        },
        FileReport {
            lines: None,
            path: "services/api/Dockerfile".into(),
            source: CLEAN.into(),
            diagnostics: vec![],
            error: None,
        },
        FileReport {
            lines: None,
            path: "build dir/Dockerfile.dev".into(),
            source: BROKEN.into(),
            diagnostics: vec![diagnostic(
                "DL1000",
                Severity::Error,
                "unterminated heredoc `EOF`",
                Span::empty(BROKEN.len()),
            )],
            error: None,
        },
        FileReport {
            lines: None,
            path: "missing/Dockerfile".into(),
            source: String::new(),
            diagnostics: vec![],
            error: Some("No such file or directory (os error 2)".into()),
        },
    ]
}

fn options() -> Options {
    Options {
        color: false,
        statistics: false,
        quiet: false,
        tool_version: "0.1.0",
    }
}

fn output(format: Format, files: &[FileReport], options: &Options) -> String {
    let mut out = Vec::new();
    render(format, files, options, &mut out).expect("rendering to a Vec cannot fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

fn json(format: Format) -> Value {
    serde_json::from_str(&output(format, &files(), &options())).expect("valid JSON")
}

// --- snapshots ---------------------------------------------------------------------------

#[test]
fn snapshot_tty() {
    insta::assert_snapshot!("tty", output(Format::Tty, &files(), &options()));
}

#[test]
fn snapshot_tty_statistics() {
    let options = Options {
        statistics: true,
        ..options()
    };
    insta::assert_snapshot!("tty_statistics", output(Format::Tty, &files(), &options));
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!("json", output(Format::Json, &files(), &options()));
}

/// The rules table and rule indices follow the registry and the rule docs, which grow on their
/// own: the snapshot leaves them out (`sarif_rules` checks them), the rest is verbatim.
#[test]
fn snapshot_sarif() {
    let mut log = json(Format::Sarif);
    let run = &mut log["runs"][0];
    run["tool"]["driver"]["rules"] = "[every rule of RULES]".into();
    for result in run["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = "[index in RULES]".into();
    }
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn snapshot_checkstyle() {
    insta::assert_snapshot!(
        "checkstyle",
        output(Format::Checkstyle, &files(), &options())
    );
}

#[test]
fn snapshot_gitlab() {
    insta::assert_snapshot!("gitlab", output(Format::Gitlab, &files(), &options()));
}

#[test]
fn snapshot_github() {
    insta::assert_snapshot!("github", output(Format::Github, &files(), &options()));
}

#[test]
fn snapshot_junit() {
    insta::assert_snapshot!("junit", output(Format::Junit, &files(), &options()));
}

// --- tty ----------------------------------------------------------------------------------

#[test]
fn tty_without_color_shows_positions_and_no_escapes() {
    let text = output(Format::Tty, &files(), &options());
    assert!(!text.contains('\u{1b}'));
    // `openssh-server` is after `héllo wörld ☕`: columns count characters.
    let line = APP.lines().nth(3).unwrap();
    let column = line[..line.find("openssh-server").unwrap()].chars().count() + 1;
    assert_eq!(column, 48);
    assert!(text.contains(&format!("Dockerfile:4:{column}")), "{text}");
    assert!(text.contains("error[HC002]: `openssh-server` installs an SSH server"));
    assert!(text.contains("info[HC010]: "));
    assert!(text.contains("style[HC006]: "));
    assert!(text.contains("= rule: ssh-server (dev layer)"));
    assert!(text.contains("= help: Remove `apt-get upgrade -y`"));
    assert!(text.contains("= rule: syntax-error\n"));
    assert!(text.contains("error: missing/Dockerfile: No such file"));
    assert!(text.ends_with(
        "8 problems (4 errors, 2 warnings, 1 info, 1 style) in 4 files; 1 file could not be linted\n"
    ));
}

#[test]
fn tty_with_color_keeps_dlayer_severities() {
    let options = Options {
        color: true,
        ..options()
    };
    let text = output(Format::Tty, &files(), &options);
    assert!(text.contains('\u{1b}'));
    assert!(text.contains("info[HC010]"));
    assert!(text.contains("style[HC006]"));
}

#[test]
fn tty_summary_when_clean_and_quiet() {
    let clean = &files()[1..2];
    assert_eq!(
        output(Format::Tty, clean, &options()),
        "no problems in 1 file\n"
    );
    let quiet = Options {
        quiet: true,
        ..options()
    };
    assert_eq!(output(Format::Tty, clean, &quiet), "");
    // Quiet still reports what went wrong.
    assert!(output(Format::Tty, &files()[1..], &quiet).contains("1 problem (1 error"));
}

#[test]
fn tty_statistics_table() {
    let options = Options {
        statistics: true,
        ..options()
    };
    let text = output(Format::Tty, &files(), &options);
    assert!(
        text.contains("3  HC002   ssh-server\n1  DL1000  syntax-error\n"),
        "{text}"
    );
}

// --- json ---------------------------------------------------------------------------------

#[test]
fn json_positions_are_exact() {
    let report = json(Format::Json);
    assert_eq!(report["version"], 1);
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 7);

    let ssh = &diagnostics[3];
    assert_eq!(ssh["code"], "HC002");
    assert_eq!(ssh["name"], "ssh-server");
    assert_eq!(ssh["severity"], "error");
    assert_eq!(ssh["layer"], "dev");
    assert_eq!(ssh["fix"], Value::Null);
    let span = find(APP, "openssh-server", 0);
    let line_start = APP.match_indices('\n').nth(2).unwrap().0 + 1;
    let column = APP[line_start..span.start].chars().count() + 1;
    // Multi-byte characters before the span: bytes and characters differ.
    assert_ne!(column, span.start - line_start + 1);
    assert_eq!(
        ssh["start"],
        serde_json::json!({"line": 4, "column": column, "offset": span.start})
    );
    assert_eq!(
        ssh["end"],
        serde_json::json!({"line": 4, "column": column + 14, "offset": span.end})
    );

    let upgrade = &diagnostics[2];
    let edit = find(APP, " && apt-get upgrade -y", 0);
    assert_eq!(upgrade["fix"]["applicability"], "safe");
    assert_eq!(upgrade["fix"]["message"], "Remove `apt-get upgrade -y`");
    assert_eq!(upgrade["fix"]["edits"][0]["start"]["offset"], edit.start);
    assert_eq!(upgrade["fix"]["edits"][0]["end"]["offset"], edit.end);
    assert_eq!(upgrade["fix"]["edits"][0]["replacement"], "");
    assert_eq!(diagnostics[0]["fix"]["applicability"], "display-only");
    assert_eq!(diagnostics[4]["fix"]["applicability"], "unsafe");

    // A span over two lines.
    assert_eq!(diagnostics[1]["start"]["line"], 3);
    assert_eq!(diagnostics[1]["end"]["line"], 4);

    // An empty span at the very end of a CRLF file.
    let broken = &report["files"][2]["diagnostics"][0];
    assert_eq!(
        broken["start"],
        serde_json::json!({"line": 4, "column": 1, "offset": BROKEN.len()})
    );
    assert_eq!(broken["start"], broken["end"]);
    assert_eq!(broken["layer"], Value::Null);

    let missing = &report["files"][3];
    assert_eq!(missing["error"], "No such file or directory (os error 2)");
    assert_eq!(missing["diagnostics"], serde_json::json!([]));
    assert!(report["files"][0].get("error").is_none());

    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 4, "diagnostics": 8, "unreadable": 1,
            "by_severity": {"error": 4, "warning": 2, "info": 1, "style": 1}})
    );
}

#[test]
fn json_of_nothing() {
    let text = output(Format::Json, &[], &options());
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["files"], serde_json::json!([]));
    assert_eq!(report["summary"]["diagnostics"], 0);
}

// --- sarif --------------------------------------------------------------------------------

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    for log in [
        json(Format::Sarif),
        serde_json::from_str(&output(Format::Sarif, &[], &options())).unwrap(),
    ] {
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The validator does catch a broken log.
    let mut broken = json(Format::Sarif);
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_content() {
    let log = json(Format::Sarif);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let ssh = &results[3];
    assert_eq!(ssh["level"], "error");
    let span = find(APP, "openssh-server", 0);
    let region = &ssh["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 4);
    assert_eq!(region["startColumn"], 48);
    assert_eq!(region["endColumn"], 62);
    assert_eq!(region["charOffset"], APP[..span.start].chars().count());
    assert_eq!(region["charLength"], 14);
    assert_eq!(
        ssh["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(results[1]["level"], "note");
    assert_eq!(results[4]["level"], "note");
    assert_eq!(
        results[7]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "build%20dir/Dockerfile.dev"
    );
    let fix = &results[2]["fixes"][0];
    assert_eq!(
        fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        ""
    );
    // A display-only fix without edits has no SARIF fix.
    assert!(results[0].get("fixes").is_none());
    let notifications = &run["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notifications.as_array().unwrap().len(), 1);
    assert!(
        notifications[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("missing/Dockerfile: No such file")
    );
}

#[test]
fn sarif_rules() {
    let log = json(Format::Sarif);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (rule, descriptor) in RULES.iter().zip(rules) {
        let meta = &rule.meta;
        assert_eq!(descriptor["id"], meta.code);
        assert_eq!(descriptor["name"], meta.name);
        let short = descriptor["shortDescription"]["text"].as_str().unwrap();
        assert!(
            short[1..].starts_with(&meta.summary[1..]) && short.ends_with('.'),
            "{short}"
        );
        let full = descriptor["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.is_empty() && !full.contains('\n') && !full.contains("**"));
        let markdown = descriptor["help"]["markdown"].as_str().unwrap();
        assert!(!markdown.starts_with('#'), "{markdown}");
        assert!(meta.doc.contains(markdown));
        let level = match meta.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Style => "note",
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level);
        let tags = descriptor["properties"]["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 1 + usize::from(meta.layer.is_some()));
        if let Some(layer) = meta.layer {
            assert_eq!(tags[1], layer.as_str());
        }
    }
    let ssh = rules.iter().find(|rule| rule["id"] == "HC002").unwrap();
    assert_eq!(
        ssh["properties"]["tags"],
        serde_json::json!(["heavy", "dev"])
    );
    let syntax = rules.iter().find(|rule| rule["id"] == "DL1000").unwrap();
    assert!(
        syntax["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with("A Dockerfile that BuildKit")
    );
}

#[test]
fn fingerprints_ignore_line_numbers_but_tell_findings_apart() {
    let fingerprint = |log: &Value, i: usize| {
        log["runs"][0]["results"][i]["partialFingerprints"]["dlayer/v1"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let before = json(Format::Sarif);
    let all: std::collections::HashSet<String> = (0..8).map(|i| fingerprint(&before, i)).collect();
    assert_eq!(all.len(), 8);

    // Two lines inserted above: the same findings keep their fingerprints.
    let shifted_source = format!("# a comment\n\n{APP}");
    let mut shifted = files();
    shifted[0].source = shifted_source;
    for diagnostic in &mut shifted[0].diagnostics {
        diagnostic.span = diagnostic.span.shift(13);
        if let Some(fix) = &mut diagnostic.fix {
            for edit in &mut fix.edits {
                edit.span = edit.span.shift(13);
            }
        }
    }
    let after: Value = serde_json::from_str(&output(Format::Sarif, &shifted, &options())).unwrap();
    for i in 0..8 {
        assert_eq!(fingerprint(&before, i), fingerprint(&after, i));
    }
    let gitlab: Value =
        serde_json::from_str(&output(Format::Gitlab, &files(), &options())).unwrap();
    assert_eq!(
        gitlab[3]["fingerprint"].as_str().unwrap(),
        fingerprint(&before, 3)
    );
}

// --- xml ----------------------------------------------------------------------------------

/// An element parsed back from a report.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        let mut found = Vec::new();
        if self.name == name {
            found.push(self);
        }
        for child in &self.children {
            found.extend(child.all(name));
        }
        found
    }
}

/// Parses `text` as XML 1.0 with quick-xml, failing on anything not well-formed: mismatched
/// or unclosed tags, bad entities, bad attributes, more than one root.
fn parse_xml(text: &str) -> Element {
    use quick_xml::XmlVersion;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::{BytesStart, Event};

    fn element(start: &BytesStart<'_>) -> Element {
        Element {
            name: String::from_utf8(start.name().as_ref().to_vec()).unwrap(),
            attributes: start
                .attributes()
                .map(|attribute| {
                    let attribute = attribute.expect("well-formed attribute");
                    let key = String::from_utf8(attribute.key.as_ref().to_vec()).unwrap();
                    let value = attribute
                        .normalized_value(XmlVersion::Explicit1_0)
                        .expect("valid attribute value")
                        .into_owned();
                    (key, value)
                })
                .collect(),
            ..Element::default()
        }
    }

    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match event {
            Event::Start(start) => stack.push(element(&start)),
            Event::Empty(start) => {
                let done = element(&start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => assert!(root.replace(done).is_none(), "two roots"),
                }
            }
            Event::End(_) => {
                let done = stack.pop().expect("an open element");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => assert!(root.replace(done).is_none(), "two roots"),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content().unwrap();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&content),
                    None => assert!(content.trim().is_empty(), "text outside the root"),
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().expect("valid reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().unwrap();
                        resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("undefined entity &{name};"))
                            .to_string()
                    }
                };
                stack.last_mut().expect("inside an element").text += &resolved;
            }
            Event::Decl(_) => {}
            Event::Eof => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    root.expect("a root element")
}

#[test]
fn checkstyle_is_well_formed_and_escaped() {
    let root = parse_xml(&output(Format::Checkstyle, &files(), &options()));
    assert_eq!(root.name, "checkstyle");
    assert_eq!(root.attribute("version"), Some("4.3"));
    let files = root.all("file");
    assert_eq!(files.len(), 4);
    assert_eq!(files[2].attribute("name"), Some("build dir/Dockerfile.dev"));
    let errors = files[0].all("error");
    assert_eq!(errors.len(), 7);
    assert_eq!(
        errors[5].attribute("message"),
        Some("port 22: \"sshd\" & <debug>, 100% dev-only")
    );
    assert_eq!(errors[5].attribute("source"), Some("dlayer.HC002"));
    assert_eq!(errors[3].attribute("column"), Some("48"));
    assert_eq!(errors[4].attribute("severity"), Some("info"));
    assert!(files[1].children.is_empty());
    assert_eq!(
        files[3].all("error")[0].attribute("source"),
        Some("dlayer.unreadable")
    );
}

#[test]
fn junit_is_well_formed_and_counts() {
    let root = parse_xml(&output(Format::Junit, &files(), &options()));
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attribute("tests"), Some("10"));
    assert_eq!(root.attribute("failures"), Some("8"));
    assert_eq!(root.attribute("errors"), Some("1"));
    let suites = root.all("testsuite");
    assert_eq!(suites.len(), 4);
    assert_eq!(suites[0].attribute("failures"), Some("7"));
    assert_eq!(suites[1].all("testcase").len(), 1);
    assert!(suites[1].all("failure").is_empty());
    let failure = suites[0].all("failure")[5];
    assert_eq!(
        failure.attribute("message"),
        Some("port 22: \"sshd\" & <debug>, 100% dev-only")
    );
    assert!(failure.text.starts_with(
        "Dockerfile:5:8: error[HC002] port 22: \"sshd\" & <debug>, 100% dev-only\nrule: ssh-server"
    ));
    assert_eq!(suites[3].all("error").len(), 1);
}

#[test]
fn xml_survives_control_characters_and_markup_in_paths() {
    let files = vec![FileReport {
        lines: None,
        path: "a&b/<x>\"'.Dockerfile".into(),
        source: "FROM x\n".into(),
        diagnostics: vec![diagnostic(
            "E001",
            Severity::Error,
            "bad \u{1} byte ]]> and\ttab\r\nnewline",
            Span::new(0, 4),
        )],
        error: None,
    }];
    for format in [Format::Checkstyle, Format::Junit] {
        let root = parse_xml(&output(format, &files, &options()));
        let messages: Vec<&str> = root
            .all(if format == Format::Junit {
                "failure"
            } else {
                "error"
            })
            .iter()
            .filter_map(|element| element.attribute("message"))
            .collect();
        assert_eq!(
            messages,
            ["bad \u{fffd} byte ]]> and\ttab\r\nnewline"],
            "{format:?}"
        );
    }
}

// --- github -------------------------------------------------------------------------------

#[test]
fn github_escapes_data_and_properties() {
    let files = vec![FileReport {
        lines: None,
        path: "odd,dir:x/50%.Dockerfile".into(),
        source: "FROM x\n".into(),
        diagnostics: vec![diagnostic(
            "E001",
            Severity::Warning,
            "100% wrong: a,b\r\nnext line",
            Span::new(0, 4),
        )],
        error: None,
    }];
    assert_eq!(
        output(Format::Github, &files, &options()),
        "::warning file=odd%2Cdir%3Ax/50%25.Dockerfile,line=1,col=1,endLine=1,endColumn=5,\
         title=E001 invalid-instruction::100%25 wrong: a,b%0D%0Anext line\n"
    );
}

#[test]
fn github_commands() {
    let text = output(Format::Github, &files(), &options());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(lines[1].starts_with("::notice file=Dockerfile,line=3,endLine=4,title=HC010"));
    assert!(lines[3].starts_with(
        "::error file=Dockerfile,line=4,col=48,endLine=4,endColumn=62,title=HC002 ssh-server::"
    ));
    assert_eq!(
        lines[8],
        "::error file=missing/Dockerfile,title=dlayer::missing/Dockerfile: No such file or directory (os error 2)"
    );
}

// --- gitlab -------------------------------------------------------------------------------

#[test]
fn gitlab_issues() {
    let issues: Value =
        serde_json::from_str(&output(Format::Gitlab, &files(), &options())).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 9);
    assert_eq!(issues[3]["check_name"], "HC002");
    assert_eq!(
        issues[3]["description"],
        "HC002 `openssh-server` installs an SSH server"
    );
    assert_eq!(issues[3]["severity"], "major");
    assert_eq!(issues[0]["severity"], "minor");
    assert_eq!(issues[1]["severity"], "info");
    assert_eq!(
        issues[1]["location"],
        serde_json::json!({"path": "Dockerfile", "lines": {"begin": 3, "end": 4}})
    );
    let fingerprints: std::collections::HashSet<&str> = issues
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.len());
}
