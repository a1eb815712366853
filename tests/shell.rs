//! The shell parser on the fixtures in `testdata/shell/`: snapshots of every command with
//! its Dockerfile positions and text, span invariants, offset maps with gaps, and no panic
//! on mutated, truncated or deeply nested input.

use std::fs;
use std::path::Path;

use dlayer::shell::{self, Command, Contiguous, OffsetMap, PieceMap, Script, Word};
use dlayer::syntax::{LineIndex, Span};

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/shell");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sh"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 20, "fixtures missing from {}", dir.display());
    files
}

/// `line:column` of a Dockerfile offset.
struct Positions<'a> {
    source: &'a str,
    index: LineIndex,
}

impl Positions<'_> {
    fn at(&self, offset: usize) -> String {
        let position = self.index.position(self.source, offset);
        format!("{}:{}", position.line, position.column)
    }

    fn span(&self, span: Span) -> String {
        format!("{}-{}", self.at(span.start), self.at(span.end))
    }

    /// The source text a span covers, newlines shown as `⏎`.
    fn text(&self, span: Span) -> String {
        span.text(self.source).replace('\n', "⏎")
    }

    /// `text@line:col`, then `= value` when quote removal changed it, `= <dynamic>` when
    /// it has none, and the raw text when it differs from the source (nested scripts).
    fn word(&self, word: &Word) -> String {
        let text = self.text(word.span);
        let mut out = format!("{text}@{}", self.at(word.span.start));
        match word.value() {
            None => out.push_str(" = <dynamic>"),
            Some(value) if *value != text => out.push_str(&format!(" = {value:?}")),
            Some(_) => {}
        }
        if word.raw.replace('\n', "⏎") != text {
            out.push_str(&format!(" (raw {:?})", word.raw));
        }
        out
    }

    fn words(&self, words: &[Word]) -> String {
        words
            .iter()
            .map(|word| self.word(word))
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

fn context_flags(command: &Command) -> String {
    let context = command.context;
    let flags = [
        (context.in_substitution, "substitution"),
        (context.in_condition, "condition"),
        (context.in_pipeline, "pipeline"),
        (context.background, "background"),
        (context.nested_shell, "nested_shell"),
        (context.after_or, "after_or"),
    ];
    let set: Vec<&str> = flags.iter().filter(|f| f.0).map(|f| f.1).collect();
    if set.is_empty() {
        String::new()
    } else {
        format!(" [{}]", set.join(","))
    }
}

/// What a reviewer reads: each command with its position, context and source text, then its
/// words one field per line, then the error.
fn describe(source: &str, script: &Script) -> String {
    let p = Positions {
        source,
        index: LineIndex::new(source),
    };
    let mut out = String::new();
    for (number, command) in script.commands.iter().enumerate() {
        out.push_str(&format!(
            "#{} {}{} {}\n",
            number + 1,
            p.span(command.span),
            context_flags(command),
            p.text(command.span)
        ));
        let fields = [
            ("assign  ", p.words(&command.assignments)),
            ("wrappers", p.words(&command.wrappers)),
            ("name    ", p.word(&command.name)),
            ("args    ", p.words(&command.args)),
        ];
        for (label, text) in fields.iter().filter(|field| !field.1.is_empty()) {
            out.push_str(&format!("    {label} {text}\n"));
        }
        for redirection in &command.redirections {
            let fd = redirection.fd.map(|fd| fd.to_string()).unwrap_or_default();
            out.push_str(&format!(
                "    redirect {fd}{} {}",
                redirection.op,
                p.word(&redirection.target)
            ));
            if let Some(body) = redirection.body {
                out.push_str(&format!(" body {} {:?}", p.span(body), body.text(source)));
            }
            out.push('\n');
        }
    }
    match &script.error {
        Some(error) => out.push_str(&format!(
            "error {} {} at `{}`\n",
            p.span(error.span),
            error.message,
            p.text(error.span)
        )),
        None => out.push_str("no error\n"),
    }
    out
}

/// Every span of the script: command, words, redirections, bodies, error.
fn all_spans(script: &Script) -> Vec<Span> {
    let mut spans = Vec::new();
    for command in &script.commands {
        spans.push(command.span);
        let words = command
            .wrappers
            .iter()
            .chain(&command.assignments)
            .chain(std::iter::once(&command.name))
            .chain(&command.args);
        spans.extend(words.map(|word| word.span));
        for redirection in &command.redirections {
            spans.push(redirection.span);
            spans.push(redirection.target.span);
            spans.extend(redirection.body);
        }
    }
    spans.extend(script.error.as_ref().map(|error| error.span));
    spans
}

fn check_spans(source: &str, script: &Script, what: &str) {
    for span in all_spans(script) {
        assert!(
            span.start <= span.end && span.end <= source.len(),
            "{what}: span {span:?} out of bounds ({} bytes)",
            source.len()
        );
        assert!(
            source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
            "{what}: span {span:?} not on char boundaries"
        );
    }
}

/// With the identity map, a word's source text is its raw text (outside nested scripts,
/// whose raw text is the inner script after quote removal).
fn check_raw_is_source(source: &str, script: &Script, what: &str) {
    for command in &script.commands {
        let words = command
            .wrappers
            .iter()
            .chain(&command.assignments)
            .chain(std::iter::once(&command.name))
            .chain(&command.args);
        for word in words {
            let text = word.span.text(source);
            // Backquotes lose their `\` escapes; nested scripts lose their quotes.
            let unescaped = command.context.in_substitution && text.contains('\\');
            if !command.context.nested_shell && !unescaped {
                assert_eq!(text, word.raw, "{what}: word span");
            }
        }
        assert!(
            command.span.contains(command.name.span),
            "{what}: name outside command"
        );
    }
}

#[test]
fn fixtures_snapshot() {
    for (name, source) in fixtures() {
        let script = shell::parse(&source, &Contiguous(0));
        check_spans(&source, &script, &name);
        check_raw_is_source(&source, &script, &name);
        assert_eq!(
            script.is_opaque(),
            name.starts_with("error_"),
            "{name}: only error_ fixtures are opaque: {:?}",
            script.error
        );
        insta::assert_snapshot!(name.clone(), describe(&source, &script), &source);
    }
}

/// A Dockerfile RUN with continuation lines, joined the way BuildKit joins them; the map
/// has a gap at every `\`-newline.
struct Joined {
    dockerfile: String,
    script: String,
    map: PieceMap,
}

fn join_run(dockerfile: &str) -> Joined {
    let start = dockerfile.find("RUN ").unwrap() + 4;
    let mut map = PieceMap::new();
    let mut script = String::new();
    let mut at = start;
    for line in dockerfile[start..].split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let (kept, joined) = match content.strip_suffix('\\') {
            Some(kept) => (kept, true),
            None => (content, false),
        };
        map.push(script.len(), at, kept.len());
        script.push_str(kept);
        at += line.len();
        if !joined {
            break;
        }
    }
    Joined {
        dockerfile: dockerfile.to_string(),
        script,
        map,
    }
}

#[test]
fn spans_land_on_dockerfile_bytes_through_a_map_with_gaps() {
    let dockerfile = "FROM debian\nRUN apt-get update \\\n    && sh -c 'apt-get install -y \"vim\" && echo '\\''done'\\''' \\\n    && echo \"$(id \\\n  -u)\"\n";
    let joined = join_run(dockerfile);
    // The syntax tree joins the same way.
    let tree = dlayer::syntax::parse(dockerfile);
    let run = tree.instructions().nth(1).unwrap();
    match &run.arguments {
        dlayer::syntax::Arguments::Shell(token) => assert_eq!(token.text, joined.script),
        other => panic!("not shell form: {other:?}"),
    }
    let script = shell::parse(&joined.script, &joined.map);
    assert!(!script.is_opaque(), "{:?}", script.error);
    // The syntax tree's own map of the token gives the same spans.
    let dlayer::syntax::Arguments::Shell(token) = &run.arguments else {
        unreachable!()
    };
    let tree_map = run
        .token_map(token)
        .expect("shell text is copied from the source");
    assert_eq!(shell::parse(&token.text, &tree_map), script);
    let source = &joined.dockerfile;
    let names: Vec<&str> = script
        .commands
        .iter()
        .map(|c| c.name.span.text(source))
        .collect();
    assert_eq!(names, ["apt-get", "sh", "apt-get", "echo", "echo", "id"]);
    let text = |word: &Word| word.span.text(source).to_string();
    let install = &script.commands[2];
    assert!(install.context.nested_shell);
    assert_eq!(
        install.args.iter().map(text).collect::<Vec<_>>(),
        ["install", "-y", "\"vim\""]
    );
    assert_eq!(install.args[2].value(), Some("vim"));
    let done = &script.commands[3];
    assert_eq!(text(&done.args[0]), r"\''done'\'");
    assert_eq!(done.args[0].value(), Some("done"));
    assert_eq!(done.span.text(source), r"echo '\''done'\'");
    // `$(id \<newline>  -u)`: the word crosses the removed continuation.
    let echo = &script.commands[4];
    assert_eq!(text(&echo.args[0]), "\"$(id \\\n  -u)\"");
    let id = &script.commands[5];
    assert!(id.context.in_substitution);
    assert_eq!(id.span.text(source), "id \\\n  -u");
    assert_eq!(text(&id.args[0]), "-u");
    check_spans(source, &script, "joined");
}

#[test]
fn heredoc_body_with_a_contiguous_map() {
    let dockerfile = "FROM alpine\nRUN <<EOF\napk add curl\nsh -c 'rc-update add sshd'\nEOF\n";
    let body_start = dockerfile.find("apk").unwrap();
    let body = &dockerfile[body_start..dockerfile.rfind("EOF").unwrap()];
    let script = shell::parse(body, &Contiguous(body_start));
    let found: Vec<&str> = script
        .commands
        .iter()
        .map(|c| c.span.text(dockerfile))
        .collect();
    assert_eq!(
        found,
        [
            "apk add curl",
            "sh -c 'rc-update add sshd'",
            "rc-update add sshd"
        ]
    );
}

#[test]
fn exec_form_argv() {
    let dockerfile =
        r#"RUN ["/bin/bash", "-o", "pipefail", "-c", "curl -fsSL https://x | sh -s -- --yes"]"#;
    let mut argv = Vec::new();
    let mut rest = 0;
    while let Some(open) = dockerfile[rest..].find('"').map(|i| rest + i) {
        let close = open + 1 + dockerfile[open + 1..].find('"').unwrap();
        argv.push((
            dockerfile[open + 1..close].to_string(),
            Span::new(open, close + 1),
        ));
        rest = close + 1;
    }
    let script = shell::from_argv(&argv);
    let found: Vec<(&str, bool)> = script
        .commands
        .iter()
        .map(|c| (c.name.span.text(dockerfile), c.context.in_pipeline))
        .collect();
    assert_eq!(
        found,
        [("\"/bin/bash\"", false), ("curl", true), ("sh", true)]
    );
    assert_eq!(script.commands[2].args.len(), 3);
}

#[test]
fn arguments_split_options_and_operands() {
    let script = shell::parse(
        "apt-get -qq -o Dpkg::Use-Pty=0 -oAPT::X=1 install --no-install-recommends --target-release=bookworm -t \"$REL\" -y a -- -b",
        &Contiguous(0),
    );
    let command = &script.commands[0];
    let arguments = command.arguments(&|option| matches!(option, "o" | "t" | "target-release"));
    let options: Vec<(String, bool, Option<String>)> = arguments
        .options
        .iter()
        .map(|o| (o.name.clone(), o.long, o.value.clone()))
        .collect();
    let value = |s: &str| Some(s.to_string());
    assert_eq!(
        options,
        [
            ("q".into(), false, None),
            ("q".into(), false, None),
            ("o".into(), false, value("Dpkg::Use-Pty=0")),
            ("o".into(), false, value("APT::X=1")),
            ("no-install-recommends".into(), true, None),
            ("target-release".into(), true, value("bookworm")),
            ("t".into(), false, None),
            ("y".into(), false, None),
        ]
    );
    assert_eq!(arguments.options[6].value_word.unwrap().raw, "\"$REL\"");
    let operands: Vec<&str> = arguments.operands.iter().map(|w| w.raw.as_str()).collect();
    assert_eq!(operands, ["install", "a", "-b"]);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let cases = [
        format!("{}true{}", "( ".repeat(depth), " )".repeat(depth)),
        format!("echo {}x{}", "$(".repeat(depth), ")".repeat(depth)),
        format!("echo {}x{}", "${a:-".repeat(depth), "}".repeat(depth)),
        format!("{}true{}", "{ ".repeat(depth), "; }".repeat(depth)),
        format!(
            "{}true{}",
            "if true; then ".repeat(depth),
            "; fi".repeat(depth)
        ),
        format!("echo {}", "`".repeat(depth + 1)),
        format!("echo {}x", "\"$(".repeat(depth)),
        "sh -c \"sh -c \\\"sh -c 'x'\\\"\"".repeat(2),
        "f() { ".repeat(depth),
        "$((".repeat(depth),
        "((".repeat(depth),
        format!("{}x", "a=(".repeat(depth)),
    ];
    for (number, case) in cases.iter().enumerate() {
        let script = shell::parse(case, &Contiguous(0));
        check_spans(case, &script, &format!("case {number}"));
        if number != 7 {
            assert!(script.is_opaque(), "case {number} should be refused");
        }
    }
}

#[test]
fn big_scripts_parse() {
    let line =
        "apt-get install -y --no-install-recommends \"$(echo a)\" b c | tee x && echo ok; \\\n";
    let script_text = line.repeat(20_000);
    let script = shell::parse(&script_text, &Contiguous(0));
    assert!(!script.is_opaque());
    assert_eq!(script.commands.len(), 80_000);
}

/// A deterministic xorshift generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INSERTS: [&str; 24] = [
    "'", "\"", "(", ")", "$(", "`", "<<", "<<-EOF\n", "\nEOF\n", "{", "}", "\\", "\n", ";;", "if ",
    " fi", "${", "$((", "))", "é", "&", "|", "sh -c '", "\\\n",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let boundaries: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let at = boundaries[rng.below(boundaries.len())];
    let mut out = text.to_string();
    match rng.below(5) {
        0 => out.truncate(at),
        1 => out.insert_str(at, INSERTS[rng.below(INSERTS.len())]),
        2 => {
            let c = char::from_u32(rng.below(0x250) as u32).unwrap_or('x');
            out.insert(at, c);
        }
        3 => {
            let end = boundaries[rng.below(boundaries.len())].max(at);
            out.replace_range(at..end, "");
        }
        _ => {
            for _ in 0..4 {
                let boundaries: Vec<usize> = (0..=out.len())
                    .filter(|&i| out.is_char_boundary(i))
                    .collect();
                let at = boundaries[rng.below(boundaries.len())];
                out.insert_str(at, INSERTS[rng.below(INSERTS.len())]);
            }
        }
    }
    out
}

/// Prepends "RUN " and splits the text with continuation lines every few bytes, returning
/// the Dockerfile and a map with a gap at each split.
fn with_gaps(rng: &mut Rng, script: &str) -> (String, PieceMap) {
    let mut dockerfile = String::from("RUN ");
    let mut map = PieceMap::new();
    let mut at = 0;
    while at < script.len() {
        let mut end = (at + 1 + rng.below(12)).min(script.len());
        while !script.is_char_boundary(end) {
            end += 1;
        }
        map.push(at, dockerfile.len(), end - at);
        dockerfile.push_str(&script[at..end]);
        dockerfile.push_str(" \\\n  ");
        at = end;
    }
    (dockerfile, map)
}

#[test]
fn mutated_fixtures_never_panic_and_spans_stay_in_bounds() {
    let fixtures = fixtures();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..4000 {
        let (name, text) = &fixtures[round % fixtures.len()];
        let mut mutated = mutate(&mut rng, text);
        if round % 3 == 0 {
            mutated = mutate(&mut rng, &mutated);
        }
        let what = format!("round {round} of {name}: {mutated:?}");
        let script = shell::parse(&mutated, &Contiguous(0));
        check_spans(&mutated, &script, &what);
        check_raw_is_source(&mutated, &script, &what);
        let (dockerfile, map) = with_gaps(&mut rng, &mutated);
        let gapped = shell::parse(&mutated, &map);
        check_spans(&dockerfile, &gapped, &what);
        assert_eq!(gapped.commands.len(), script.commands.len(), "{what}");
        assert_eq!(gapped.is_opaque(), script.is_opaque(), "{what}");
    }
}

#[test]
fn offset_maps_compose_byte_for_byte() {
    let mut map = PieceMap::new();
    map.push(0, 4, 3);
    map.push(3, 12, 5);
    assert_eq!(
        (0..8).map(|i| map.to_source(i)).collect::<Vec<_>>(),
        [4, 5, 6, 12, 13, 14, 15, 16]
    );
    assert_eq!(map.to_source_end(3), 7);
    assert_eq!(Contiguous(7).to_source(3), 10);
}
