//! From the words of a simple command to a [`Command`]: wrappers seen through (`sudo`, `env`,
//! `xargs`, …) and the inner script of `sh -c '…'` / `su -c '…'` parsed in place.

use super::lexer::{Redir, WordTok};
use super::map::{Composed, Run};
use super::parser::{PResult, Parser};
use super::text::Shared;
use super::unquote::{static_value, unquote_mapped};
use super::wrappers::{Wrapper, wrapper};
use super::{Command, Context, RedirectOp, Redirection, Span, Text, Word};

/// A redirection as read: operator, IO number, where it starts, and its target word.
#[derive(Clone, Copy, Debug)]
pub(super) struct RedirTok {
    pub op: Redir,
    pub fd: Option<u32>,
    pub start: usize,
    pub target: WordTok,
}

/// A command that runs a script given as one of its words (`sh -c SCRIPT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NestedScript {
    /// Index of the word in the command's words (wrappers, name and arguments together).
    pub word: usize,
    /// Byte offset of the script in that word's value (`--command=SCRIPT`).
    pub offset: usize,
}

/// Shells whose `-c` argument is a script we parse (a `match`: every command's program is
/// asked, and a search of an array compared each name in turn).
#[inline]
fn is_shell(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh"
    )
}

/// The last path component of a static word: `/usr/bin/sudo` → `sudo`.
pub(super) fn program(word: &Word) -> Option<&str> {
    word.value().map(program_in)
}

/// The last path component of `value`. Inlined: it is asked of every command's name.
#[inline]
fn program_in(value: &str) -> &str {
    // A plain byte loop: these words are short, and the iterator adapters of a reverse search
    // cost more than the scan when they are not inlined.
    let bytes = value.as_bytes();
    let mut start = bytes.len();
    while start > 0 && bytes[start - 1] != b'/' {
        start -= 1;
    }
    &value[start..]
}

/// How many words after a wrapper belong to it; `None` when no command follows (the wrapper
/// is then the command itself: `env`, `xargs` alone, `command -v x`).
fn wrapper_words(wrapper: &Wrapper, rest: &[Word]) -> Option<usize> {
    let mut at = 0;
    let mut options = true;
    let mut operands = wrapper.operands;
    while let Some(word) = rest.get(at) {
        let Some(value) = word.value() else {
            // A dynamic value after a static `--name=` or `NAME=` (`--reuid="$(id -u app)"`,
            // `HOME="$(…)"`) is still that option or assignment.
            let static_head = word
                .raw
                .find(['$', '`', '"', '\''])
                .map_or(&word.raw[..], |end| &word.raw[..end]);
            let long_option =
                options && static_head.starts_with("--") && static_head.ends_with('=');
            let assignment = wrapper.assignments
                && static_head.ends_with('=')
                && super::lexer::is_assignment_prefix(static_head);
            if long_option || assignment {
                options &= !assignment;
                at += 1;
                continue;
            }
            if operands == 0 {
                return Some(at);
            }
            operands -= 1;
            at += 1;
            continue;
        };
        if options && wrapper.queries.iter().any(|query| query == value) {
            return None;
        }
        if options && value == "--" {
            options = false;
            at += 1;
        } else if options && value.starts_with('-') && value.len() > 1 {
            at += 1 + option_value_words(wrapper, value);
        } else if options && value == "-" && wrapper.lone_dash {
            at += 1;
        } else if operands > 0 {
            options = false;
            operands -= 1;
            at += 1;
        } else if wrapper.assignments && super::lexer::is_assignment_prefix(assignment_head(value))
        {
            options = false;
            at += 1;
        } else {
            return Some(at);
        }
    }
    None
}

/// `NAME=` of `NAME=value` (or the whole text when there is no `=`).
fn assignment_head(value: &str) -> &str {
    value.find('=').map_or(value, |eq| &value[..=eq])
}

/// 1 when the option word's value is the next word, else 0.
fn option_value_words(wrapper: &Wrapper, word: &str) -> usize {
    if let Some(long) = word.strip_prefix("--") {
        return usize::from(
            !long.contains('=') && wrapper.long_values.iter().any(|value| value == long),
        );
    }
    let cluster = &word[1..];
    for (index, letter) in cluster.char_indices() {
        if wrapper.short_values.contains(letter) {
            return usize::from(index + letter.len_utf8() == cluster.len());
        }
    }
    0
}

/// Index of the real command in `words`, after every wrapper in front of it, and the index
/// of each of those wrappers' program words.
fn see_through(words: &[Word]) -> (usize, Vec<usize>) {
    let mut at = 0;
    let mut starts = Vec::new();
    while let Some(name) = words.get(at).and_then(program)
        && let Some(wrapper) = wrapper(name)
        && let Some(used) = wrapper_words(wrapper, &words[at + 1..])
    {
        starts.push(at);
        at += 1 + used;
    }
    (at, starts)
}

/// The script argument of `sh -c SCRIPT` (any shell in [`SHELLS`], flags like `-ec`,
/// `-o pipefail`), or of `su [user] -c SCRIPT`; only a static one.
fn nested_script(name: &Word, args: &[Word]) -> Option<NestedScript> {
    nested_script_of(program(name)?, args)
}

/// [`nested_script`] of a command whose program is `program`. Inlined: asked of every
/// command, most of which are no shell.
#[inline]
fn nested_script_of(program: &str, args: &[Word]) -> Option<NestedScript> {
    let found = if is_shell(program) {
        shell_script(args)
    } else if program == "su" || program == "runuser" {
        su_script(args)
    } else {
        None
    }?;
    args.get(found.word)?.value()?;
    Some(found)
}

/// See [`Command::runs_listed_script`].
pub(super) fn runs_listed_script(name: &Word, args: &[Word]) -> bool {
    nested_script(name, args).is_some()
}

fn shell_script(args: &[Word]) -> Option<NestedScript> {
    let mut command_string = false;
    let mut at = 0;
    while let Some(value) = args.get(at).and_then(|word| word.value()) {
        if value == "--" || value == "-" {
            at += 1;
            break;
        }
        let Some(cluster) = value
            .strip_prefix(['-', '+'])
            .filter(|rest| !rest.is_empty())
        else {
            break;
        };
        at += 1;
        if let Some(long) = cluster.strip_prefix('-') {
            at += usize::from(matches!(long, "rcfile" | "init-file"));
            continue;
        }
        command_string |= cluster.contains('c');
        at += cluster.chars().filter(|c| matches!(c, 'o' | 'O')).count();
    }
    command_string.then_some(NestedScript {
        word: at,
        offset: 0,
    })
}

fn su_script(args: &[Word]) -> Option<NestedScript> {
    let mut at = 0;
    while let Some(word) = args.get(at) {
        let value = word.value().unwrap_or("");
        if let Some(script) = value.strip_prefix("--command=") {
            return Some(NestedScript {
                word: at,
                offset: value.len() - script.len(),
            });
        }
        let short = value.starts_with('-') && !value.starts_with("--");
        if value == "--command" || (short && value.ends_with('c')) {
            return Some(NestedScript {
                word: at + 1,
                offset: 0,
            });
        }
        let takes_value = matches!(value, "-s" | "-g" | "-G" | "-w" | "--shell" | "--group");
        at += 1 + usize::from(takes_value);
    }
    None
}

/// A command assembled from its words, and the script it runs when it is a shell.
pub(super) struct Built {
    pub command: Command,
    /// `word` counts from the first of all the simple command's words.
    pub script: Option<NestedScript>,
}

/// The commands of one simple command: itself, then what its `find -exec … ;` clauses run
/// (each clause a command of its own, spanning its words).
pub(super) fn build_commands(
    words: Vec<Word>,
    assignments: Vec<Word>,
    redirections: Vec<Redirection>,
    span: Span,
    context: Context,
) -> impl Iterator<Item = Built> {
    let through = see_through(&words);
    let clauses = find_exec_clauses(&words, through.0);
    // Most commands have no clause: an empty vector costs no allocation.
    let clause_commands: Vec<Built> = if clauses.is_empty() {
        Vec::new()
    } else {
        clauses
            .into_iter()
            .map(|(start, end)| {
                let clause = words[start..end].to_vec();
                let span = clause[0].span.cover(clause[clause.len() - 1].span);
                let through = see_through(&clause);
                let mut built =
                    build_command(clause, through, Vec::new(), Vec::new(), span, context);
                if let Some(script) = &mut built.script {
                    script.word += start;
                }
                built
            })
            .collect()
    };
    let command = build_command(words, through, assignments, redirections, span, context);
    std::iter::once(command).chain(clause_commands)
}

/// Word ranges of the commands `find` runs: `-exec`/`-execdir`/`-ok`/`-okdir` up to `;`, or
/// up to a `+` right after `{}`. `at` is the index of the command's name (past its wrappers).
fn find_exec_clauses(words: &[Word], at: usize) -> Vec<(usize, usize)> {
    if words.get(at).and_then(program) != Some("find") {
        return Vec::new();
    }
    let value = |index: usize| words.get(index).and_then(|word| word.value());
    let mut clauses = Vec::new();
    let mut index = at + 1;
    while index < words.len() {
        if !matches!(value(index), Some("-exec" | "-execdir" | "-ok" | "-okdir")) {
            index += 1;
            continue;
        }
        let start = index + 1;
        let mut end = start;
        while end < words.len()
            && value(end) != Some(";")
            && !(value(end) == Some("+") && end > start && value(end - 1) == Some("{}"))
        {
            end += 1;
        }
        if end > start {
            clauses.push((start, end));
        }
        index = end + 1;
    }
    clauses
}

/// The command of `words`, whose name is at `at` after the wrappers starting at `starts`
/// (what [`see_through`] found).
fn build_command(
    mut words: Vec<Word>,
    (at, wrapper_starts): (usize, Vec<usize>),
    assignments: Vec<Word>,
    redirections: Vec<Redirection>,
    span: Span,
    context: Context,
) -> Built {
    let (name, args, wrappers) = if at == 0 {
        (words.remove(0), words, Vec::new())
    } else {
        let args = words.split_off(at + 1);
        let name = words.pop().expect("a command has a name word");
        (name, args, words)
    };
    let parts = Parts {
        name,
        args,
        wrappers,
        wrapper_starts,
    };
    assemble(parts, assignments, redirections, span, context)
}

/// A command's words, sorted out: the wrappers in front (with where each one's program word
/// is), the name, the arguments.
struct Parts {
    name: Word,
    args: Vec<Word>,
    wrappers: Vec<Word>,
    wrapper_starts: Vec<usize>,
}

/// The command of `parts`, and the script it runs when it is a shell.
fn assemble(
    parts: Parts,
    assignments: Vec<Word>,
    redirections: Vec<Redirection>,
    span: Span,
    context: Context,
) -> Built {
    let Parts {
        name,
        args,
        wrappers,
        wrapper_starts,
    } = parts;
    let program_start = name
        .value()
        .map_or(0, |value| value.len() - program_in(value).len());
    let script = name
        .value()
        .and_then(|value| nested_script_of(&value[program_start..], &args))
        .map(|found| NestedScript {
            word: wrappers.len() + 1 + found.word,
            offset: found.offset,
        });
    Built {
        command: Command {
            name,
            args,
            assignments,
            wrappers,
            wrapper_starts,
            redirections,
            span,
            context,
            program_start,
        },
        script,
    }
}

/// The Dockerfile span of a simple command from the spans of its tokens, mapped already:
/// from the start of the first (an assignment, a redirection or the first word) to the end
/// of the last (a word or a redirection). Mapping the command's range instead looked it up
/// in the map again, and in a RUN of several lines that range crosses lines, which the map's
/// runs do not: each command of such a RUN paid two searches of the map rather than none.
#[inline]
fn command_span(
    first_word: &Word,
    last_word: &Word,
    assignments: &[Word],
    redirections: &[Redirection],
) -> Span {
    let mut start = first_word.span.start;
    let mut end = last_word.span.end;
    if let Some(first) = assignments.first() {
        start = start.min(first.span.start);
    }
    if let (Some(first), Some(last)) = (redirections.first(), redirections.last()) {
        start = start.min(first.span.start);
        end = end.max(last.span.end);
    }
    Span::new(start, end)
}

impl Parser<'_> {
    /// Always inlined: every word of every command is built here, most in [`words_of`]'s
    /// loop, and a call returned each 64-byte word through memory to be copied into its list.
    ///
    /// [`words_of`]: Self::words_of
    #[inline(always)]
    pub(super) fn word(&self, word: WordTok) -> Word {
        let mut run = self.span_run();
        self.word_in(&mut run, word)
    }

    /// [`word`](Self::word) with its span mapped through [`Parser::span_in`]'s `run`.
    #[inline(always)]
    fn word_in(&self, run: &mut Run, word: WordTok) -> Word {
        let raw = Text::slice(self.shared, word.start, word.end);
        let value = if word.dynamic {
            None
        } else if word.plain {
            Some(raw.clone())
        } else {
            Some(static_value(&raw))
        };
        Word {
            raw,
            value,
            span: self.span_in(run, word.start, word.end),
        }
    }

    /// The words of `words`, mapped in source order (an empty list allocates nothing, and
    /// most commands have no assignment: no call is made for them). The vector is sized once;
    /// the spans are mapped in one forward walk of the map's runs.
    #[inline(always)]
    fn words_of(&self, words: &[WordTok]) -> Vec<Word> {
        if words.is_empty() {
            return Vec::new();
        }
        self.nonempty_words_of(words)
    }

    fn nonempty_words_of(&self, words: &[WordTok]) -> Vec<Word> {
        let mut run = self.span_run();
        let mut built = Vec::with_capacity(words.len());
        for &word in words {
            built.push(self.word_in(&mut run, word));
        }
        built
    }

    /// Records a simple command, then parses the script it runs when it is `sh -c '…'`.
    /// `words` is not empty.
    pub(super) fn push_command(
        &mut self,
        context: Context,
        assignments: &[WordTok],
        words: &[WordTok],
        redirections: &[RedirTok],
    ) -> PResult<()> {
        // Words are mapped in source order: the map looks each one up near the previous one.
        let assignments = self.words_of(assignments);
        let name = self.word(words[0]);
        // The program is found once: it decides whether the words need sorting out, and the
        // command keeps where it starts.
        let program_start = name
            .value()
            .map_or(0, |value| value.len() - program_in(value).len());
        let program = name.value().map(|value| &value[program_start..]);
        if !program.is_some_and(|program| program == "find" || wrapper(program).is_some()) {
            // Most commands: no wrapper, no `find`; the words go straight to the command.
            let args = self.words_of(&words[1..]);
            let script = program.and_then(|program| nested_script_of(program, &args));
            let redirections = self.redirections_of(redirections);
            let last = args.last().unwrap_or(&name);
            let span = command_span(&name, last, &assignments, &redirections);
            self.sink.commands.push(Command {
                name,
                args,
                assignments,
                wrappers: Vec::new(),
                wrapper_starts: Vec::new(),
                redirections,
                span,
                context,
                program_start,
            });
            return match script {
                Some(script) => self.nested_shell(words[1 + script.word], script.offset, context),
                None => Ok(()),
            };
        }
        let mut all = Vec::with_capacity(words.len());
        all.push(name);
        all.extend(words[1..].iter().map(|&word| self.word(word)));
        let redirections = self.redirections_of(redirections);
        let span = command_span(&all[0], &all[all.len() - 1], &assignments, &redirections);
        for built in build_commands(all, assignments, redirections, span, context) {
            self.record(built, words, context)?;
        }
        Ok(())
    }

    fn redirections_of(&self, redirections: &[RedirTok]) -> Vec<Redirection> {
        if redirections.is_empty() {
            return Vec::new();
        }
        redirections
            .iter()
            .map(|redirection| Redirection {
                op: RedirectOp(redirection.op.as_str()),
                fd: redirection.fd,
                target: self.word(redirection.target),
                body: None,
                span: self.span(redirection.start, redirection.target.end),
            })
            .collect()
    }

    /// Adds a built command to the sink, then parses the script it runs (`words`: all the
    /// simple command's words, which the script's index counts in).
    fn record(&mut self, built: Built, words: &[WordTok], context: Context) -> PResult<()> {
        self.sink.commands.push(built.command);
        match built.script {
            Some(script) => self.nested_shell(words[script.word], script.offset, context),
            None => Ok(()),
        }
    }

    /// Parses the value of a static word as a script, mapped back through quote removal.
    fn nested_shell(&mut self, word: WordTok, offset: usize, context: Context) -> PResult<()> {
        self.enter(word.start)?;
        let (value, map) = unquote_mapped(&self.text[word.start..word.end], word.start);
        let value = Shared::from(value);
        let composed = Composed {
            inner: &map,
            outer: self.map,
        };
        let context = Context {
            nested_shell: true,
            ..context
        };
        self.sub_parser(&value, &composed, offset, context).run()?;
        self.leave();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        text.split(' ')
            .map(|word| {
                Word::new(
                    word.to_string(),
                    (!word.starts_with('$')).then(|| word.to_string()),
                    Span::default(),
                )
            })
            .collect()
    }

    fn name_and_wrappers(text: &str) -> (String, usize) {
        let words = words(text);
        let through = see_through(&words);
        let built = build_command(
            words,
            through,
            vec![],
            vec![],
            Span::default(),
            Context::default(),
        );
        (
            built.command.name.raw.to_string(),
            built.command.wrappers.len(),
        )
    }

    #[test]
    fn find_exec_clauses_are_commands() {
        let clauses = |text: &str| {
            build_commands(
                words(text),
                vec![],
                vec![],
                Span::default(),
                Context::default(),
            )
            .map(|built| {
                let command = &built.command;
                let args: Vec<&str> = command.args.iter().map(|w| w.raw.as_str()).collect();
                (
                    command.name.raw.clone(),
                    args.join(" "),
                    built.script.map(|s| s.word),
                )
            })
            .collect::<Vec<_>>()
        };
        let found = clauses("sudo find / -exec rm -f {} ; -execdir sh -c x {} + -print");
        assert_eq!(found.len(), 3);
        assert_eq!(found[1], ("rm".into(), "-f {}".into(), None));
        assert_eq!(found[2], ("sh".into(), "-c x {}".into(), Some(11)));
        assert_eq!(clauses("find . -exec").len(), 1);
        assert_eq!(clauses("find . -exec echo + ;").len(), 2);
        assert_eq!(clauses("echo -exec rm ;").len(), 1);
    }

    #[test]
    fn wrappers_are_seen_through() {
        assert_eq!(
            name_and_wrappers("sudo -u app -E apt-get install"),
            ("apt-get".into(), 4)
        );
        assert_eq!(name_and_wrappers("env -i A=b C=d make"), ("make".into(), 4));
        assert_eq!(
            name_and_wrappers("nice -n 10 nohup make"),
            ("make".into(), 4)
        );
        assert_eq!(name_and_wrappers("xargs -r -I{} -n 1 rm"), ("rm".into(), 5));
        assert_eq!(
            name_and_wrappers("timeout -s KILL 5s curl"),
            ("curl".into(), 4)
        );
        assert_eq!(name_and_wrappers("stdbuf -oL make"), ("make".into(), 2));
        assert_eq!(name_and_wrappers("/usr/bin/sudo -- ls"), ("ls".into(), 2));
        assert_eq!(name_and_wrappers("gosu nobody true"), ("true".into(), 2));
        assert_eq!(name_and_wrappers("sudo $CMD x"), ("$CMD".into(), 1));
    }

    #[test]
    fn wrappers_without_a_command_are_the_command() {
        assert_eq!(name_and_wrappers("env"), ("env".into(), 0));
        assert_eq!(name_and_wrappers("env A=b"), ("env".into(), 0));
        assert_eq!(name_and_wrappers("command -v curl"), ("command".into(), 0));
        assert_eq!(name_and_wrappers("sudo -l"), ("sudo".into(), 0));
        assert_eq!(name_and_wrappers("exec"), ("exec".into(), 0));
    }

    #[test]
    fn shell_scripts_are_found() {
        let script = |text: &str| {
            let words = words(text);
            nested_script(&words[0], &words[1..]).map(|found| found.word)
        };
        assert_eq!(script("sh -c x"), Some(1));
        assert_eq!(script("bash -o pipefail -ec x"), Some(3));
        assert_eq!(script("bash -lc x"), Some(1));
        assert_eq!(script("bash x"), None);
        assert_eq!(script("bash -c $X"), None);
        assert_eq!(script("su -c x app"), Some(1));
        assert_eq!(script("su - app -c x"), Some(3));
        assert_eq!(script("su --command=x"), Some(0));
    }
}
