//! dlayer's security rules (`SEC001`–`SEC008`): what scanners such as Trivy and Checkov and
//! hadolint's users ask for, read from the model (RUN scripts parsed as shell, stages, the
//! catalog) rather than from regular expressions over the text. One file per rule.

pub mod add_url_without_checksum;
pub mod package_signature_bypassed;
pub mod remote_script_piped_to_shell;
pub mod runs_as_root;
pub mod secret_value_in_env_arg;
pub mod sensitive_file_copied;
pub mod tls_verification_disabled;
pub mod world_writable_directory;

use crate::model::Stage;
use crate::rules::{LintContext, Rule};
use crate::shell::{Command, Word};
use crate::syntax::byte_scan::{self, Marks};
use crate::syntax::{Arguments, Instruction};

/// Every security rule, in code order.
pub const RULES: &[Rule] = &[
    tls_verification_disabled::RULE,
    package_signature_bypassed::RULE,
    remote_script_piped_to_shell::RULE,
    add_url_without_checksum::RULE,
    runs_as_root::RULE,
    world_writable_directory::RULE,
    sensitive_file_copied::RULE,
    secret_value_in_env_arg::RULE,
];

/// One command of a RUN script, with the RUN it is in.
pub struct RunCommand<'a> {
    pub stage: &'a Stage,
    pub run: &'a Instruction,
    pub command: &'a Command,
    /// The commands of the same script, in order (for pipelines).
    pub script: &'a [Command],
    pub position: usize,
    /// The program it runs (see [`program`]).
    pub program: &'a str,
    /// The rules that read it for its program (see [`Readers::of`]).
    readers: Readers,
    /// Which arguments' texts (see [`text`]) hold an `=`: every setting the rules look for in
    /// any command's words (`gpgcheck=0`, `sslverify=false`) does, most commands' words none
    /// (see [`RunCommand::arg_has_equals`]).
    equals_args: EqualsArgs,
}

impl RunCommand<'_> {
    /// Whether one of `readers` reads the command for its program (or, for
    /// [`Readers::TLS_ASSIGNMENTS`], its assignments).
    pub(crate) fn is_read_by(&self, readers: Readers) -> bool {
        self.readers.0 & readers.0 != 0
    }

    /// Whether the text (see [`text`]) of argument `index` may hold an `=`: exact for the
    /// first [`EqualsArgs::EXACT`] arguments, and for the rest whether any of them does.
    pub fn arg_has_equals(&self, index: usize) -> bool {
        self.equals_args.may_hold(index)
    }
}

/// One bit per argument of a command: whether its text holds an `=`. The settings rules read
/// every word of every command that has one, and most such commands have one such word.
#[derive(Clone, Copy, Default)]
struct EqualsArgs(u64);

impl EqualsArgs {
    /// Arguments below this index have a bit of their own; the last bit stands for all the
    /// others together.
    const EXACT: usize = 63;

    fn of(args: &[Word]) -> EqualsArgs {
        let mut bits = 0u64;
        for (index, word) in args.iter().enumerate() {
            if holds_equals(text(word).as_bytes()) {
                bits |= 1u64 << index.min(Self::EXACT);
            }
        }
        EqualsArgs(bits)
    }

    fn may_hold(self, index: usize) -> bool {
        self.0 & (1u64 << index.min(Self::EXACT)) != 0
    }

    fn any(self) -> bool {
        self.0 != 0
    }
}

/// Whether `bytes` holds an `=`, tested eight bytes at a time: this reads every word of every
/// RUN, most of them short, and a `memchr` call per word cost more than the whole test.
fn holds_equals(bytes: &[u8]) -> bool {
    let has_equals = |chunk: [u8; 8]| byte_scan::bytes_equal(u64::from_le_bytes(chunk), b'=') != 0;
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.contains(&b'=');
    };
    // The last eight bytes overlap the last whole chunk: no copy of the rest.
    bytes
        .chunks_exact(8)
        .any(|chunk| has_equals(chunk.try_into().expect("chunks of eight bytes")))
        || has_equals(*last)
}

/// Every command of every RUN of every stage. Where they are, which of their words hold an
/// `=`, and which rules read them for their program, is found once per file (several rules
/// read them all).
pub fn run_commands<'c, 'a>(
    context: &'c LintContext<'a>,
) -> impl Iterator<Item = RunCommand<'a>> + 'c {
    run_commands_where(context, Readers::ALL, true)
}

/// The commands of [`run_commands`] that a rule among `readers` reads for their program, and
/// with `or_settings` those with a word holding an `=`: the others are passed over by one
/// test each, without being looked up.
pub(crate) fn run_commands_where<'c, 'a>(
    context: &'c LintContext<'a>,
    readers: Readers,
    or_settings: bool,
) -> impl Iterator<Item = RunCommand<'a>> + 'c {
    let stages = &context.model.stages;
    crate::rules::hadolint::runs::run_commands_at(context)
        .iter()
        .filter(move |at| at.readers.0 & readers.0 != 0 || or_settings && at.equals_args.any())
        .map(move |at| {
            let stage = &stages[at.stage];
            let model = &stage.instructions[at.instruction];
            let command = &model.script[at.position];
            RunCommand {
                stage,
                run: context.syntax(model),
                command,
                script: &model.script,
                position: at.position,
                program: program(command),
                readers: at.readers,
                equals_args: at.equals_args,
            }
        })
}

/// The rules that read a command whatever its words (for its program, mostly), found once per
/// command: one bit per rule and reason.
#[derive(Clone, Copy)]
pub(crate) struct Readers(u8);

impl Readers {
    /// SEC001 reads the program's download options (`curl -k`, `pip --trusted-host`).
    pub const TLS_OPTIONS: Readers = Readers(1);
    /// SEC001 reads the program's `config` words (`npm config set strict-ssl false`).
    pub const TLS_CONFIG: Readers = Readers(2);
    /// SEC001 reads a command's assignments (`NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci`),
    /// whatever the program.
    pub const TLS_ASSIGNMENTS: Readers = Readers(4);
    /// SEC001, for any of its reasons.
    pub const TLS: Readers = Readers(1 | 2 | 4);
    /// SEC002 reads a package manager's options.
    pub const SIGNATURES: Readers = Readers(8);
    /// SEC003 reads what an interpreter is given.
    pub const INTERPRETER: Readers = Readers(16);
    /// SEC006 reads `chmod`.
    pub const CHMOD: Readers = Readers(32);
    const NONE: Readers = Readers(0);
    const ALL: Readers = Readers(u8::MAX);

    /// The readers of `command`, which runs `program`.
    fn of(command: &Command, program: &str) -> Readers {
        let assignments = if command.assignments.is_empty() {
            Self::NONE
        } else {
            Self::TLS_ASSIGNMENTS
        };
        Readers(Self::of_program(program).0 | assignments.0)
    }

    /// The rules that read a command of `program` for its program: every security rule's
    /// list of programs, in one `match` since it is asked of every command of every RUN.
    fn of_program(program: &str) -> Readers {
        let both = |one: Readers, other: Readers| Readers(one.0 | other.0);
        match program {
            "curl" | "wget" | "pip" | "pip3" | "pip2" => Self::TLS_OPTIONS,
            "python" | "python3" => both(Self::TLS_OPTIONS, Self::INTERPRETER),
            "npm" | "yarn" | "pnpm" => both(Self::TLS_OPTIONS, Self::TLS_CONFIG),
            "git" => Self::TLS_CONFIG,
            "apt-get" | "apt" | "aptitude" | "apk" | "yum" | "dnf" | "microdnf" | "tdnf"
            | "rpm" | "zypper" => Self::SIGNATURES,
            "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox" | "python2"
            | "perl" | "ruby" | "node" | "php" => Self::INTERPRETER,
            "chmod" => Self::CHMOD,
            _ => Self::NONE,
        }
    }
}

/// Where a command of a RUN is, with which of its arguments hold an `=` and which rules read
/// it for its program.
pub(crate) struct RunCommandAt {
    stage: usize,
    instruction: usize,
    position: usize,
    equals_args: EqualsArgs,
    readers: Readers,
}

impl RunCommandAt {
    /// Command `position` of the RUN at `instruction` of stage `stage`, which runs `program`;
    /// `may_hold_equals` is [`script_may_hold_equals`] of the RUN. Made by the hadolint rules'
    /// index of the file's commands (see [`crate::rules::hadolint::runs`]), which reads every
    /// command of every RUN once for both families.
    #[inline]
    pub(crate) fn new(
        stage: usize,
        instruction: usize,
        position: usize,
        command: &Command,
        program: &str,
        may_hold_equals: bool,
    ) -> RunCommandAt {
        RunCommandAt {
            stage,
            instruction,
            position,
            equals_args: if may_hold_equals {
                EqualsArgs::of(&command.args)
            } else {
                EqualsArgs::default()
            },
            readers: Readers::of(command, program),
        }
    }
}

/// Whether a word of the RUN's script may hold an `=`: one test of the whole text rather than
/// one per word. A shell-form script (line continuations removed, no heredocs) with neither `=`
/// nor `\` has no word holding one, since every word's text is a piece of the script with
/// quotes removed, and only an escape (`$'\x3d'`, `\=`) could make an `=` the text lacks.
pub(crate) fn script_may_hold_equals(run: &Instruction) -> bool {
    match &run.arguments {
        Arguments::Shell(token) if run.heredocs.is_empty() => {
            memchr::memchr2(b'=', b'\\', token.text.as_bytes()).is_some()
        }
        _ => true,
    }
}

/// The program a command runs (`/usr/bin/curl` → `curl`), "" when dynamic.
#[inline]
pub fn program(command: &Command) -> &str {
    command.program().unwrap_or("")
}

/// The static text of a word (its raw text when it is dynamic).
#[inline]
pub fn text(word: &Word) -> &str {
    word.value().unwrap_or(&word.raw)
}

/// The long option `--name` or `--name=value` of `word`, if it is one.
pub fn long_option(word: &Word) -> Option<(&str, Option<&str>)> {
    // Two bytes compared in place: asked of every word of many commands, most no option.
    let text = text(word);
    if !matches!(text.as_bytes(), [b'-', b'-', ..]) {
        return None;
    }
    let option = &text[2..];
    Some(match option.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (option, None),
    })
}

/// Whether `word` is a cluster of short options (`-fsSLk`) holding `flag` before any option
/// of `with_value` (whose value is the rest of the cluster).
pub fn short_flag(word: &Word, flag: char, with_value: &str) -> bool {
    // `-x…` but not `--…` nor `-`, compared in place (most words are no options).
    let text = text(word);
    if !matches!(text.as_bytes(), [b'-', second, ..] if *second != b'-') {
        return false;
    }
    let cluster = &text[1..];
    for c in cluster.chars() {
        if c == flag {
            return true;
        }
        if with_value.contains(c) || !c.is_ascii_alphanumeric() {
            return false;
        }
    }
    false
}

/// Whether an `=` in `word` follows (past spaces and quotes) a key ending in one of `suffixes`,
/// in any case (`sslVerify=`, `"gpgcheck" = `): read in place, at each `=` only, so that the
/// setting rules pass over most words without splitting them.
pub fn has_key_ending_in(word: &str, suffixes: &[&str]) -> bool {
    let bytes = word.as_bytes();
    let key_ends_in_suffix = |at: usize| {
        let key_end = bytes[..at]
            .iter()
            .rposition(|byte| !matches!(byte, b' ' | b'"' | b'\''))
            .map_or(0, |last| last + 1);
        let key = &bytes[..key_end];
        suffixes.iter().any(|suffix| {
            key.len() >= suffix.len()
                && key[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
        })
    };
    // The `=` found eight bytes at a time, the last few one by one: the words are short, and
    // a `memchr` iterator cost more to start than this whole scan.
    let mut chunks = bytes.chunks_exact(8);
    for (index, chunk) in chunks.by_ref().enumerate() {
        let chunk = u64::from_le_bytes(chunk.try_into().expect("chunks of eight bytes"));
        let mut equals = Marks(byte_scan::bytes_equal(chunk, b'='));
        if equals.any(|at| key_ends_in_suffix(index * 8 + at)) {
            return true;
        }
    }
    let rest_start = bytes.len() - chunks.remainder().len();
    (rest_start..bytes.len()).any(|at| bytes[at] == b'=' && key_ends_in_suffix(at))
}

/// Whether `value` means "off" to the tools that read it (`0`, `false`, `no`, `off`).
pub fn is_off(value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    ["0", "false", "no", "off"]
        .iter()
        .any(|off| value.eq_ignore_ascii_case(off))
}

#[cfg(test)]
mod tests {
    use super::{EqualsArgs, holds_equals, text};
    use crate::shell::Word;
    use crate::syntax::Span;

    /// Every byte value at every place of texts of every length around a chunk's.
    #[test]
    fn holds_equals_finds_exactly_an_equals() {
        for length in 0..=20 {
            for place in 0..length {
                for byte in 0..=u8::MAX {
                    let mut text = vec![b'a'; length];
                    text[place] = byte;
                    assert_eq!(holds_equals(&text), byte == b'=', "{text:?}");
                }
            }
            assert!(!holds_equals(&vec![b'a'; length]));
        }
    }

    /// Every setting key is found before an `=` at any place of words of every length
    /// around a chunk's, and none where there is none.
    #[test]
    fn keys_are_found_before_every_equals() {
        for before in 0..=17 {
            for after in 0..=9 {
                let word = format!("{}SslVerify \" = {}", "x".repeat(before), "0".repeat(after));
                assert!(super::has_key_ending_in(&word, &["verify"]), "{word}");
                assert!(!super::has_key_ending_in(&word, &["gpgcheck"]), "{word}");
                let plain = word.replace('=', ":");
                assert!(!super::has_key_ending_in(&plain, &["verify"]), "{plain}");
                let second = format!("a=b {word}");
                assert!(super::has_key_ending_in(&second, &["verify"]), "{second}");
            }
        }
    }

    /// The settings rules read only the words [`EqualsArgs`] says may hold an `=`: it must
    /// say so of every word whose text (value, or raw text when dynamic) holds one.
    #[test]
    fn equals_args_marks_every_word_with_an_equals() {
        let word = |raw: &str, value: Option<&str>| {
            Word::new(raw, value.map(str::to_string), Span::new(0, 0))
        };
        let samples = [
            word("a=b", Some("a=b")),
            word("plain", Some("plain")),
            word("'a'=b", Some("a=b")),
            // Quote removal or an escape can make the `=` (`$'\x3d'`): the value counts.
            word("$'\\x3d'", Some("=")),
            word("$X=1", None),
            word("$X", None),
            word("", Some("")),
        ];
        for length in [0, 1, 5, 62, 63, 64, 70, 130] {
            for offset in 0..samples.len() {
                let args: Vec<Word> = (0..length)
                    .map(|index| samples[(index + offset) % samples.len()].clone())
                    .collect();
                let marks = EqualsArgs::of(&args);
                for (index, arg) in args.iter().enumerate() {
                    if text(arg).contains('=') {
                        assert!(marks.may_hold(index), "{length} {offset} {index}");
                    } else if index < EqualsArgs::EXACT {
                        assert!(!marks.may_hold(index), "{length} {offset} {index}");
                    }
                }
                assert_eq!(marks.any(), args.iter().any(|arg| text(arg).contains('=')));
            }
        }
    }
}
