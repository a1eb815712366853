//! apt-get and apt: version pins, `-y`, `--no-install-recommends`, removing the package lists, apt-get rather than apt.

pub(super) mod dl3008_apt_pin_versions;
pub(super) mod dl3009_apt_lists_not_removed;
pub(super) mod dl3014_apt_assume_yes;
pub(super) mod dl3015_apt_no_install_recommends;
pub(super) mod dl3027_apt_not_apt_get;

use crate::model::value_options;
use crate::rules::{Applicability, Diagnostic, Edit, Fix, LintContext, RuleMeta};
use crate::shell::{Command, Word};
use crate::syntax::Span;

use super::commands::value;
use super::runs::runs_running;

/// An `apt-get` command line read the way apt-get reads it.
pub struct Apt<'c> {
    pub command: &'c Command,
    /// The first operand (`install`, `update`, ...).
    pub subcommand: Option<&'c Word>,
    /// Option names without dashes (`-qq` gives `q`, `q`) with their value if any, borrowed
    /// from the command's words (several rules parse every `apt-get` command). The operands
    /// after the subcommand are not kept: [`Apt::install_operands`] reads those.
    pub options: Vec<(&'c str, Option<&'c str>)>,
}

impl<'c> Apt<'c> {
    /// The command read as `apt-get` reads its arguments, when it runs one of `programs`
    /// (`apt` and `aptitude` take the same options and subcommands for install and update).
    pub fn parse_as(command: &'c Command, programs: &[&str]) -> Option<Apt<'c>> {
        Apt::read(command, programs, None)
    }

    /// The command read as [`Apt::parse_as`] reads it when it is `apt-get install`, in one pass
    /// that stops at any other subcommand; `None` for any other command.
    pub fn parse_install(command: &'c Command) -> Option<Apt<'c>> {
        Apt::read(command, &["apt-get"], Some("install"))
    }

    /// The command read when it runs one of `programs` and, with `only`, when its subcommand is
    /// `only` (the reading stops at any other subcommand).
    fn read(command: &'c Command, programs: &[&str], only: Option<&str>) -> Option<Apt<'c>> {
        if !command
            .program()
            .is_some_and(|program| programs.contains(&program))
        {
            return None;
        }
        let mut subcommand = None;
        let mut wanted = only.is_none();
        let mut options = Vec::new();
        read_arguments(
            command,
            |option, value| options.push((option, value)),
            |word| {
                if subcommand.is_none() {
                    subcommand = Some(word);
                    if let Some(only) = only {
                        wanted = value(word) == Some(only);
                        if !wanted {
                            return Reading::Stop;
                        }
                    }
                }
                Reading::Continue
            },
        );
        wanted.then_some(Apt {
            command,
            subcommand,
            options,
        })
    }

    /// The operands after `install` of an `apt-get install` (the packages, as written), read
    /// in one pass without keeping the options; `None` for any other command.
    pub fn install_operands(command: &'c Command) -> Option<Vec<&'c Word>> {
        if command.program() != Some("apt-get") {
            return None;
        }
        let mut install = None;
        let mut operands = Vec::new();
        read_arguments(
            command,
            |_, _| {},
            |word| match install {
                None => {
                    let is_install = value(word) == Some("install");
                    install = Some(is_install);
                    if !is_install {
                        return Reading::Stop;
                    }
                    // Every later word may be an operand: one allocation, no growth.
                    operands.reserve_exact(command.args.len());
                    Reading::Continue
                }
                Some(_) => {
                    operands.push(word);
                    Reading::Continue
                }
            },
        );
        (install == Some(true)).then_some(operands)
    }

    /// The subcommand word of a command running one of `programs`: what [`Apt::parse_as`]
    /// finds, without collecting the options and operands (rules that look for one
    /// subcommand ask it of every command).
    pub fn subcommand_of<'w>(command: &'w Command, programs: &[&str]) -> Option<&'w Word> {
        if !command
            .program()
            .is_some_and(|program| programs.contains(&program))
        {
            return None;
        }
        let mut first = None;
        read_arguments(
            command,
            |_, _| {},
            |word| {
                first = Some(word);
                Reading::Stop
            },
        );
        first
    }

    /// The values of `-o`/`--option` settings, lowercased (`apt::get::assume-yes=true`).
    pub fn settings(&self) -> impl Iterator<Item = String> + '_ {
        self.options
            .iter()
            .filter(|(name, _)| matches!(*name, "o" | "option"))
            .filter_map(|(_, value)| *value)
            .map(|value| value.trim_matches(['"', '\'']).to_ascii_lowercase())
    }

    /// `apt-get install`'s span: from the program name to the subcommand.
    pub fn head_span(&self) -> Span {
        match self.subcommand {
            Some(sub) => self.command.name.span.cover(sub.span),
            None => self.command.name.span,
        }
    }
}

/// Whether [`read_arguments`] goes on past an operand.
enum Reading {
    Continue,
    Stop,
}

/// Reads apt-get's arguments in order: each option (name without dashes, `-qq` giving `q`
/// twice, with its value if any, borrowed from the words) to `option`, each operand (the
/// subcommand first) to `operand`, until `operand` says to stop.
fn read_arguments<'c>(
    command: &'c Command,
    mut option: impl FnMut(&'c str, Option<&'c str>),
    mut operand: impl FnMut(&'c Word) -> Reading,
) {
    let takes_value = apt_value_options();
    let mut words = command.args.iter();
    let mut only_operands = false;
    while let Some(word) = words.next() {
        let text = word.value().unwrap_or(&word.raw);
        if only_operands || !text.starts_with('-') || text == "-" {
            match operand(word) {
                Reading::Continue => continue,
                Reading::Stop => return,
            }
        }
        if text == "--" {
            only_operands = true;
        } else if let Some(long) = text.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => option(name, Some(value)),
                None if takes_value.contains(&long) => {
                    let value = words.next().map(|w| w.raw.as_str());
                    option(long, value);
                }
                None => option(long, None),
            }
        } else {
            let cluster = &text[1..];
            for (offset, letter) in cluster.char_indices() {
                let after = offset + letter.len_utf8();
                let (letter, rest) = (&cluster[offset..after], &cluster[after..]);
                if takes_value.contains(&letter) {
                    let value = if rest.is_empty() {
                        words.next().map(|w| w.raw.as_str())
                    } else {
                        Some(rest.trim_start_matches('='))
                    };
                    option(letter, value);
                    break;
                }
                // `-q=2`
                if let Some(level) = rest.strip_prefix('=') {
                    option(letter, Some(level));
                    break;
                }
                option(letter, None);
            }
        }
    }
}

/// apt-get's options that take the next word as their value, looked up once.
fn apt_value_options() -> &'static [&'static str] {
    static OPTIONS: std::sync::LazyLock<&'static [&'static str]> =
        std::sync::LazyLock::new(|| value_options("apt-get"));
    &OPTIONS
}

/// Is an APT boolean setting value true?
pub fn truthy(value: &str) -> bool {
    matches!(value, "true" | "1" | "yes" | "on")
}

/// What DL3014/DL3015 look for: an option `apt-get install` lacks, and how safe adding it is.
pub struct MissingOption<'m> {
    /// Says when the option (or an equivalent) is there.
    pub satisfied: fn(&InstallOptions) -> bool,
    pub message: &'m str,
    pub option: &'m str,
    pub applicability: Applicability,
}

/// What DL3014 and DL3015 need to know of one `apt-get install` of the file: its options are
/// read once for both (each reading them cost as much as the rest of its rule).
pub struct InstallOptions {
    /// From the program name to `install`.
    head: Span,
    /// Where the fix inserts an option: after `install`, when that word is the source text
    /// as written (not inside `sh -c '…'`) and the script parses.
    insert_at: Option<usize>,
    /// `-y` or an equivalent (DL3014).
    pub assumes_yes: bool,
    /// `--no-install-recommends` or an equivalent (DL3015).
    pub skips_recommends: bool,
}

/// Every `apt-get install` of the file's scripts, in order, read on the first call.
fn install_options<'c>(context: &'c LintContext<'_>) -> &'c [InstallOptions] {
    context.apt_installs.get_or_init(|| {
        let mut found = Vec::new();
        for run in runs_running(context, &["apt-get"]) {
            for command in run.commands_of(&["apt-get"]) {
                let Some(apt) = Apt::parse_install(command) else {
                    continue;
                };
                let insert_at = apt
                    .subcommand
                    .filter(|sub| context.text(sub.span) == "install" && run.parses())
                    .map(|sub| sub.span.end);
                found.push(InstallOptions {
                    head: apt.head_span(),
                    insert_at,
                    assumes_yes: dl3014_apt_assume_yes::assumes_yes(&apt),
                    skips_recommends: dl3015_apt_no_install_recommends::skips_recommends(&apt),
                });
            }
        }
        found
    })
}

/// DL3014/DL3015: an `apt-get install` that lacks an option, with a fix inserting the option
/// after `install` where [`InstallOptions::insert_at`] allows.
pub fn report_apt_install_without(
    context: &LintContext<'_>,
    out: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    missing: &MissingOption<'_>,
) {
    let MissingOption {
        satisfied,
        message,
        option,
        applicability,
    } = *missing;
    for install in install_options(context) {
        if satisfied(install) {
            continue;
        }
        let mut diagnostic = context.report(rule, install.head, message);
        if let Some(at) = install.insert_at {
            diagnostic.fix = Some(Fix {
                message: crate::rules::message(&["Add `", option, "`"]),
                applicability,
                edits: vec![Edit {
                    span: Span::new(at, at),
                    replacement: crate::rules::message(&[" ", option]),
                }],
            });
        }
        out.push(diagnostic);
    }
}
