//! Suppression pragmas: `# dlayer ignore=…`, `# dlayer global ignore=…`,
//! `# dlayer stage ignore=…`, hadolint's `# hadolint ignore=…` / `global ignore=…` /
//! `stage ignore=…`, and BuildKit's `# check=skip=…`.

use crate::syntax::{Dockerfile, Item, Keyword, Span};

use super::{Diagnostic, Family, SYNTAX_ERROR, buildkit, find_rule};

/// The suppressions one file declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pragmas {
    /// Codes or names ignored in the whole file.
    pub global: Vec<String>,
    /// Codes or names ignored in one instruction (its whole span).
    pub instructions: Vec<(Span, Vec<String>)>,
    /// Codes or names ignored in one stage: from its FROM to the next FROM (a `stage ignore=`
    /// pragma right above the FROM).
    pub stages: Vec<(Span, Vec<String>)>,
    /// BuildKit's `# check=` directive (or the `BUILDKIT_DOCKERFILE_CHECK` build argument,
    /// which replaces it).
    pub check: CheckOptions,
    /// `# check=` comments right above an instruction: for that instruction only.
    pub check_instructions: Vec<(Span, CheckOptions)>,
    /// Codes of ignore pragmas that name no rule (a typo silences nothing): the comment's span
    /// and the code, for a warning.
    pub unknown: Vec<(Span, String)>,
}

/// BuildKit's lint options: `skip=A,B|all;experimental=A,B|all;error=true|false`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip_all: bool,
    /// Check names, case-sensitive as BuildKit compares them.
    pub skip: Vec<String>,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
    /// Findings of the checks are errors (BuildKit fails the build on them).
    pub error: bool,
}

impl CheckOptions {
    /// Parses a `check=` value as BuildKit's `ParseLintOptions` does: at most three `;`
    /// parts, each `key=value` with key `skip`, `experimental` or `error` (case-sensitive).
    pub fn parse(value: &str) -> Result<CheckOptions, String> {
        let value = value.trim();
        let mut options = CheckOptions::default();
        if value.is_empty() {
            return Ok(options);
        }
        for part in value.splitn(3, ';') {
            let Some((key, item)) = part.split_once('=') else {
                return Err(format!("invalid check option {part:?}"));
            };
            let item = item.trim();
            let list = || {
                item.split(',')
                    .map(|name| name.trim().to_string())
                    .collect()
            };
            match key.trim() {
                "skip" if item == "all" => options.skip_all = true,
                "skip" => options.skip = list(),
                "experimental" if item == "all" => options.experimental_all = true,
                "experimental" => options.experimental = list(),
                "error" => {
                    options.error = parse_go_bool(item).ok_or_else(|| {
                        format!(
                            "failed to parse check option {part:?}: strconv.ParseBool: parsing \
                             {item:?}: invalid syntax"
                        )
                    })?
                }
                key => return Err(format!("invalid check option {key:?}")),
            }
        }
        Ok(options)
    }

    /// The `check=` value of a directive or comment: BuildKit reads it up to the first space.
    pub fn parse_comment_value(value: &str) -> Result<CheckOptions, String> {
        CheckOptions::parse(value.split_whitespace().next().unwrap_or(""))
    }

    fn skips(&self, name: &str) -> bool {
        self.skip_all || self.skip.iter().any(|skipped| skipped == name)
    }

    fn enables(&self, name: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|enabled| enabled == name)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The value of a `check=` comment (`# check=skip=X // reason` → `skip=X // reason`).
fn check_comment_value(comment: &str) -> Option<&str> {
    // The key, trimmed, is `check` in any case: so the comment starts with a `c`, after its
    // blanks. Most comments are prose, passed over there rather than searched for a `=`.
    if !comment.trim_start().starts_with(['c', 'C']) {
        return None;
    }
    let (key, value) = comment.split_once('=')?;
    key.trim()
        .eq_ignore_ascii_case("check")
        .then_some(value.trim_start())
}

/// What one comment line says, if it is a pragma.
enum Pragma {
    Next(Vec<String>),
    Global(Vec<String>),
    /// For the stage of the FROM right below.
    Stage(Vec<String>),
    /// A `# hadolint` list with a name hadolint cannot read: it ignores nothing.
    Unreadable(Vec<String>),
}

/// Whether `# hadolint ignore=` may name `code`: hadolint's grammar (`D`, `L`, `S`, `C` and
/// digits) or a dlayer rule's code or name. hadolint drops a whole list with another name in
/// it (`ignore=crazy,DL3002` ignores nothing), and so does dlayer for hadolint's pragmas.
fn hadolint_may_name(code: &str) -> bool {
    code.chars()
        .all(|c| matches!(c, 'D' | 'L' | 'S' | 'C' | '0'..='9'))
        || find_rule(code).is_some()
}

/// `dlayer ignore=A,B -- reason`, `hadolint global ignore=A`, `dlayer stage ignore=A`,
/// after the `#`.
fn parse_comment(comment: &str) -> Option<Pragma> {
    let body = comment.strip_prefix('#')?.trim_start();
    // Most comments are prose: passed over at their first letter.
    if !matches!(body.as_bytes().first(), Some(b'h' | b'd')) {
        return None;
    }
    let (hadolint, rest) = match body.strip_prefix("dlayer") {
        Some(rest) => (false, rest),
        None => (true, body.strip_prefix("hadolint")?),
    };
    let rest = rest.trim_start();
    let (scope, rest) = match (rest.strip_prefix("global"), rest.strip_prefix("stage")) {
        (Some(after), _) => ("global", after.trim_start()),
        (_, Some(after)) => ("stage", after.trim_start()),
        _ => ("next", rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    // A reason may follow after ` -- ` (dlayer) or ` # ` (hadolint).
    let list = list.split(" --").next().unwrap_or(list);
    let list = list.split(" #").next().unwrap_or(list);
    let codes: Vec<String> = list
        .split(',')
        .map(|code| code.split_whitespace().next().unwrap_or("").to_string())
        .filter(|code| !code.is_empty())
        .collect();
    if codes.is_empty() {
        return None;
    }
    if hadolint && !codes.iter().all(|code| hadolint_may_name(code)) {
        return Some(Pragma::Unreadable(codes));
    }
    Some(match scope {
        "global" => Pragma::Global(codes),
        "stage" => Pragma::Stage(codes),
        _ => Pragma::Next(codes),
    })
}

pub fn parse_pragmas(dockerfile: &Dockerfile) -> Pragmas {
    let mut pragmas = Pragmas::default();
    let mut pending: Vec<String> = Vec::new();
    let mut pending_stage: Vec<String> = Vec::new();
    // The stage pragma in force: where its FROM starts, and its codes.
    let mut open_stage: Option<(usize, Vec<String>)> = None;
    for item in &dockerfile.items {
        match item {
            Item::Directive(directive) if directive.name.text == "check" => {
                // A bad directive is an error finding (E002); it then skips nothing.
                pragmas.check =
                    CheckOptions::parse_comment_value(&directive.value.text).unwrap_or_default();
            }
            Item::Comment(comment) => {
                let text = dockerfile.text(comment.text_span);
                let parsed = parse_comment(text);
                if let Some(
                    Pragma::Global(codes)
                    | Pragma::Next(codes)
                    | Pragma::Stage(codes)
                    | Pragma::Unreadable(codes),
                ) = &parsed
                {
                    let unknown = codes.iter().filter(|code| !names_a_rule(code));
                    pragmas
                        .unknown
                        .extend(unknown.map(|code| (comment.text_span, code.clone())));
                }
                match parsed {
                    Some(Pragma::Global(codes)) => pragmas.global.extend(codes),
                    // Like hadolint, only the pragma line right above the instruction counts.
                    Some(Pragma::Next(codes)) => pending = codes,
                    Some(Pragma::Stage(codes)) => pending_stage = codes,
                    Some(Pragma::Unreadable(_)) | None => {
                        pending.clear();
                        pending_stage.clear();
                    }
                }
            }
            Item::Instruction(instruction) => {
                if instruction.kind == Keyword::From {
                    close_stage(&mut pragmas, open_stage.take(), instruction.span.start);
                    if !pending_stage.is_empty() {
                        open_stage = Some((instruction.span.start, pending_stage.clone()));
                    }
                }
                // A stage pragma above anything but FROM ignores nothing, as in hadolint.
                pending_stage.clear();
                // BuildKit reads the first `check=` of the comments it collected above the
                // instruction; a malformed one is ignored.
                let check = instruction
                    .preceding_comments
                    .iter()
                    .find_map(|comment| check_comment_value(comment))
                    .and_then(|value| CheckOptions::parse_comment_value(value).ok());
                if let Some(check) = check {
                    pragmas.check_instructions.push((instruction.span, check));
                }
                if !pending.is_empty() {
                    pragmas
                        .instructions
                        .push((instruction.span, std::mem::take(&mut pending)));
                }
            }
            Item::Blank { .. } | Item::Error(_) | Item::Directive(_) => {
                pending.clear();
                pending_stage.clear();
            }
        }
    }
    close_stage(&mut pragmas, open_stage, dockerfile.source.len());
    pragmas
}

/// The values of `entries` whose span contains `span`. The entries are in source order with
/// disjoint spans (instructions, stages), so their ends are in order too: only the last ones
/// starting at or before `span` can contain it, found by a binary search rather than a scan
/// of the file for every finding (quadratic in files with thousands of pragmas).
fn containing<T>(entries: &[(Span, T)], span: Span) -> impl Iterator<Item = &T> {
    let starting_before = entries.partition_point(|(entry, _)| entry.start <= span.start);
    entries[..starting_before]
        .iter()
        .rev()
        .take_while(move |(entry, _)| entry.end >= span.start)
        .filter(move |(entry, _)| entry.contains(span))
        .map(|(_, value)| value)
}

/// Records the stage pragma in force as covering its FROM up to `end` (the next FROM).
fn close_stage(pragmas: &mut Pragmas, open: Option<(usize, Vec<String>)>, end: usize) {
    if let Some((start, codes)) = open {
        pragmas.stages.push((Span::new(start, end), codes));
    }
}

/// Whether a pragma's code names a rule: a registered code or name, or a ShellCheck code.
fn names_a_rule(code: &str) -> bool {
    crate::rules::find_rule(code).is_some()
        || crate::shellcheck::is_code(code)
        || code.eq_ignore_ascii_case(crate::shellcheck::NAME)
}

fn names(diagnostic: &Diagnostic, codes: &[String]) -> bool {
    codes.iter().any(|code| {
        code.eq_ignore_ascii_case(diagnostic.code) || code.eq_ignore_ascii_case(diagnostic.name)
    })
}

impl Pragmas {
    /// The `BUILDKIT_DOCKERFILE_CHECK` build argument: it replaces the `# check=` directive.
    /// A bad value is an error finding (E002); the checks then run unskipped.
    pub fn replace_check(&mut self, value: &str) {
        self.check = CheckOptions::parse(value).unwrap_or_default();
    }

    /// Whether no pragma of the file can silence a finding (no ignore, no `check=skip=`): most
    /// files have none, and the linter then skips the per-finding questions.
    pub fn silence_nothing(&self) -> bool {
        let skips_nothing = |check: &CheckOptions| !check.skip_all && check.skip.is_empty();
        self.global.is_empty()
            && self.instructions.is_empty()
            && self.stages.is_empty()
            && skips_nothing(&self.check)
            && self
                .check_instructions
                .iter()
                .all(|(_, check)| skips_nothing(check))
    }

    /// Whether a pragma silences `diagnostic`, under its own identity or a twin's: hadolint's
    /// and dlayer's ignores by code or name, BuildKit's `# check=skip=` by check name (not for
    /// experimental checks). Syntax errors never are.
    pub fn suppresses(&self, diagnostic: &Diagnostic, family: Family) -> bool {
        if diagnostic.code == SYNTAX_ERROR.code {
            return false;
        }
        let identity_suppressed = |identity: &Diagnostic, family: Family| {
            (family == Family::Buildkit && self.skips_check(identity))
                || names(identity, &self.global)
                || containing(&self.instructions, identity.span)
                    .chain(containing(&self.stages, identity.span))
                    .any(|codes| names(identity, codes))
        };
        identity_suppressed(diagnostic, family)
            || diagnostic.twins.iter().any(|twin| {
                let family = find_rule(twin.code).map_or(Family::Heavy, |rule| rule.meta.family);
                identity_suppressed(twin, family)
            })
    }

    /// `# check=skip=` names the check (file-wide, or right above its instruction).
    fn skips_check(&self, diagnostic: &Diagnostic) -> bool {
        let name = diagnostic.name;
        !buildkit::is_experimental(name)
            && (self.check.skips(name)
                || containing(&self.check_instructions, diagnostic.span)
                    .any(|check| check.skips(name)))
    }

    /// `# check=experimental=` turns the experimental check `diagnostic` on.
    pub fn enables_experimental(&self, diagnostic: &Diagnostic) -> bool {
        let name = diagnostic.name;
        self.check.enables(name)
            || containing(&self.check_instructions, diagnostic.span)
                .any(|check| check.enables(name))
    }

    /// `# check=error=true`: BuildKit's findings are errors.
    pub fn check_errors(&self) -> bool {
        self.check.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containing_finds_what_a_scan_of_every_entry_finds() {
        // Disjoint spans in order, touching ones (stages) among them.
        let entries: Vec<(Span, usize)> = [(0, 5), (5, 9), (12, 20), (20, 20), (20, 31), (40, 41)]
            .into_iter()
            .enumerate()
            .map(|(n, (start, end))| (Span::new(start, end), n))
            .collect();
        for start in 0..45 {
            for end in start..45 {
                let span = Span::new(start, end);
                let mut found: Vec<usize> = containing(&entries, span).copied().collect();
                found.sort();
                let scanned: Vec<usize> = entries
                    .iter()
                    .filter(|(entry, _)| entry.contains(span))
                    .map(|(_, n)| *n)
                    .collect();
                assert_eq!(found, scanned, "{span:?}");
            }
        }
    }

    fn codes(comment: &str) -> Option<(bool, Vec<String>)> {
        parse_comment(comment).map(|pragma| match pragma {
            Pragma::Next(codes) => (false, codes),
            Pragma::Global(codes) => (true, codes),
            Pragma::Stage(codes) | Pragma::Unreadable(codes) => (true, codes),
        })
    }

    #[test]
    fn reads_dlayer_and_hadolint_pragmas() {
        assert_eq!(
            codes("# dlayer ignore=HC002,HC006 -- dev image"),
            Some((false, vec!["HC002".into(), "HC006".into()]))
        );
        assert_eq!(
            codes("#hadolint ignore = DL3008 , DL3009 # reason"),
            Some((false, vec!["DL3008".into(), "DL3009".into()]))
        );
        assert_eq!(
            codes("# dlayer global ignore=ssh-server"),
            Some((true, vec!["ssh-server".into()]))
        );
        assert_eq!(codes("# just a comment"), None);
        // hadolint's grammar: a list with a name it cannot read is no pragma at all.
        assert!(matches!(
            parse_comment("# hadolint ignore=crazy,DL3002"),
            Some(Pragma::Unreadable(_))
        ));
        assert_eq!(
            codes("# hadolint ignore=dev-tools-in-production"),
            Some((false, vec!["dev-tools-in-production".into()]))
        );
        assert_eq!(
            codes("# dlayer ignore=crazy,DL3002"),
            Some((false, vec!["crazy".into(), "DL3002".into()]))
        );
        assert!(matches!(
            parse_comment("# hadolint stage ignore=DL3008"),
            Some(Pragma::Stage(codes)) if codes == ["DL3008"]
        ));
        assert_eq!(codes("# dlayer ignore="), None);
    }

    #[test]
    fn reads_check_options_as_buildkit() {
        let options =
            CheckOptions::parse("skip=JSONArgsRecommended, StageNameCasing;error=true").unwrap();
        assert_eq!(options.skip, ["JSONArgsRecommended", "StageNameCasing"]);
        assert!(options.error && !options.skip_all);
        let options =
            CheckOptions::parse_comment_value("skip=all;experimental=all // why").unwrap();
        assert!(options.skip_all && options.experimental_all);
        assert!(CheckOptions::parse("error=1").unwrap().error);
        assert_eq!(
            CheckOptions::parse("skip=A;bogus=1"),
            Err("invalid check option \"bogus\"".into())
        );
        assert!(CheckOptions::parse("error=maybe").is_err());
        assert!(CheckOptions::parse("skip").is_err());
        // The third part keeps the rest, `;` included, as Go's SplitN does.
        let options = CheckOptions::parse("error=false;skip=A;experimental=B;skip=C").unwrap();
        assert_eq!(options.experimental, ["B;skip=C"]);
        assert_eq!(check_comment_value("check = skip=X"), Some("skip=X"));
        assert_eq!(check_comment_value("checks=skip=X"), None);
    }

    /// The first-letter tests of [`check_comment_value`] and [`parse_comment`] pass over only
    /// comments that the whole reading rejects.
    #[test]
    fn first_letter_tests_reject_only_what_the_reading_rejects() {
        fn unfiltered_check(comment: &str) -> Option<&str> {
            let (key, value) = comment.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("check")
                .then_some(value.trim_start())
        }
        let keys = [
            "check",
            "CHECK",
            "Check",
            " \tcheck ",
            "\u{a0}check",
            "xcheck",
            "chec",
        ];
        for key in keys {
            for value in ["=skip=X", " = error=true", "", "=", "skip"] {
                let comment = format!("{key}{value}");
                assert_eq!(
                    check_comment_value(&comment),
                    unfiltered_check(&comment),
                    "{comment}"
                );
            }
        }
        for head in ["#", "# ", "#\t", "#\u{a0}", "", " #"] {
            for word in [
                "hadolint",
                "dlayer",
                "Hadolint",
                "DLAYER",
                "xhadolint",
                "",
                "h",
                "d",
            ] {
                for tail in [
                    " ignore=DL3008",
                    " global ignore=DL3008",
                    "ignore=",
                    " stage ignore=X",
                ] {
                    let comment = format!("{head}{word}{tail}");
                    let found = codes(&comment).is_some();
                    // A pragma is `#`, blanks, `hadolint` or `dlayer`, then its list: what
                    // the first letter lets through, and only that, is read.
                    let pragma =
                        comment
                            .strip_prefix('#')
                            .map(str::trim_start)
                            .is_some_and(|body| {
                                body.starts_with("hadolint") || body.starts_with("dlayer")
                            })
                            && tail.contains('=')
                            && !tail.ends_with('=');
                    assert_eq!(found, pragma, "{comment}");
                }
            }
        }
    }
}
