//! DL3010 add-extracts-archives: a local archive is COPYed and then extracted by a RUN.
//!
//! A COPY (without `--from`) of a `.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2` or
//! `.tar.xz`/`.txz` file, followed in the same stage by a RUN whose `tar` command names that
//! archive (by its file name, or by the destination's when the COPY names the file it writes;
//! `\` separates Windows paths), is reported at the COPY source: ADD extracts it in one layer.

use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::{Arguments, Keyword};

use crate::rules::hadolint::commands::value;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3010",
        name: "add-extracts-archives",
        severity: Severity::Info,
        family: Family::Hadolint,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "local archive copied then extracted; ADD extracts it",
        doc: include_str!("../../../../rules/DL3010.md"),
    },
    check,
};

const ARCHIVES: [&str; 8] = [
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tbz",
];

/// The last component of a Unix or Windows path, without quotes.
fn file_name(path: &str) -> &str {
    let path = path.trim_matches(['"', '\'']).trim_end_matches(['/', '\\']);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn is_archive(path: &str) -> bool {
    // The suffix compared in any case in place, without a lowercase copy of every path.
    let path = path.as_bytes();
    ARCHIVES.iter().any(|suffix| {
        path.len() >= suffix.len()
            && path[path.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    })
}

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    for copy in context.stage_instructions_of(Keyword::Copy) {
        let (stage, position, syntax) = (copy.stage, copy.index, copy.syntax);
        if syntax.flags.iter().any(|flag| flag.name == "from") {
            continue;
        }
        let Arguments::Words(words) = &syntax.arguments else {
            continue;
        };
        let Some((destination, sources)) = words.split_last() else {
            continue;
        };
        // `COPY app.tar /opt/app.tar` writes the file under the destination's name.
        let written = file_name(&destination.text);
        let written = is_archive(written).then_some(written);
        for source in sources {
            let text = source.text.trim_matches('"');
            if text.contains(['$', '*', '?', '[']) || !is_archive(text) {
                continue;
            }
            let name = file_name(text);
            let extracted = stage.instructions[position + 1..].iter().any(|later| {
                later.script.iter().any(|command| {
                    command.program() == Some("tar")
                        && command.args.iter().filter_map(value).any(|arg| {
                            let extracted = file_name(arg);
                            extracted == name || Some(extracted) == written
                        })
                })
            });
            if extracted {
                out.push(context.report(
                    &RULE.meta,
                    source.span,
                    format!(
                        "`{name}` is copied and then extracted: `ADD` extracts a local \
                         archive in one step and one layer"
                    ),
                ));
            }
        }
    }
}
