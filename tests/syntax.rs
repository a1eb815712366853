//! The parser on the fixtures in `testdata/syntax/`: snapshots of the dump and the tree,
//! losslessness, span invariants, and no panic on mutated input.

use std::fs;
use std::path::Path;

use dlayer::syntax::{self, Arguments, Dockerfile, Instruction, Item, LineIndex, Span};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/syntax");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 20, "fixtures missing from {}", dir.display());
    files
}

/// What a reviewer reads: the BuildKit dump, the errors with positions, and each
/// instruction's pieces with the exact source text their spans cover.
fn describe(dockerfile: &Dockerfile) -> String {
    let index = LineIndex::new(&dockerfile.source);
    let at = |span: Span| {
        let start = index.position(&dockerfile.source, span.start);
        format!("{}:{}", start.line, start.column)
    };
    let mut out = String::from("--- dump\n");
    out.push_str(&syntax::dump(dockerfile));
    out.push_str("--- parse errors\n");
    for error in dockerfile.syntax_errors() {
        out.push_str(&format!("{} {}\n", at(error.span), error.message));
    }
    out.push_str("--- items\n");
    for item in &dockerfile.items {
        let span = item.span();
        let kind = match item {
            Item::Blank { .. } => "blank".to_string(),
            Item::Comment(_) => "comment".to_string(),
            Item::Directive(d) => format!("directive {}={}", d.name.text, d.value.text),
            Item::Instruction(i) => format!("instruction {}", i.keyword.text),
            Item::Error(e) => format!("error {:?}", e.error.message),
        };
        out.push_str(&format!("{}-{} {kind}\n", at(span), index.end_line(span)));
        if let Item::Instruction(instruction) = item {
            describe_instruction(&mut out, dockerfile, instruction, "    ");
        }
    }
    out
}

fn describe_instruction(
    out: &mut String,
    dockerfile: &Dockerfile,
    instruction: &Instruction,
    indent: &str,
) {
    let text = |span: Span| format!("{:?}", dockerfile.text(span));
    for flag in &instruction.flags {
        out.push_str(&format!(
            "{indent}flag {:?} at {}\n",
            flag.text,
            text(flag.span)
        ));
    }
    describe_arguments(out, dockerfile, &instruction.arguments, indent);
    for heredoc in &instruction.heredocs {
        out.push_str(&format!(
            "{indent}heredoc {:?} fd={} expand={} chomp={} marker {} body {:?}\n",
            heredoc.name,
            heredoc.file_descriptor,
            heredoc.expand,
            heredoc.chomp,
            text(heredoc.marker),
            heredoc.content
        ));
    }
    for span in &instruction.continuation_comments {
        out.push_str(&format!(
            "{indent}comment in continuation {}\n",
            text(*span)
        ));
    }
    for span in &instruction.empty_continuation_lines {
        out.push_str(&format!(
            "{indent}empty continuation line {}\n",
            text(*span)
        ));
    }
    for error in &instruction.build_errors {
        out.push_str(&format!(
            "{indent}build error {:?} at {}\n",
            error.message,
            text(error.span)
        ));
    }
    if !instruction.preceding_comments.is_empty() {
        out.push_str(&format!(
            "{indent}preceding comments {:?}\n",
            instruction.preceding_comments
        ));
    }
}

fn describe_arguments(
    out: &mut String,
    dockerfile: &Dockerfile,
    arguments: &Arguments,
    indent: &str,
) {
    let token = |t: &syntax::Token| format!("{:?} at {:?}", t.text, dockerfile.text(t.span));
    match arguments {
        Arguments::None => out.push_str(&format!("{indent}no arguments\n")),
        Arguments::Exec(tokens) => {
            tokens
                .iter()
                .for_each(|t| out.push_str(&format!("{indent}exec {}\n", token(t))));
        }
        Arguments::Words(tokens) => {
            tokens
                .iter()
                .for_each(|t| out.push_str(&format!("{indent}word {}\n", token(t))));
        }
        Arguments::Shell(t) => out.push_str(&format!("{indent}shell {}\n", token(t))),
        Arguments::Text(t) => out.push_str(&format!("{indent}text {}\n", token(t))),
        Arguments::KeyValues(pairs) => {
            for pair in pairs {
                let form = if pair.legacy { "legacy" } else { "key=value" };
                out.push_str(&format!(
                    "{indent}{form} {} = {}\n",
                    token(&pair.key),
                    token(&pair.value)
                ));
            }
        }
        Arguments::Healthcheck { kind, command } => {
            out.push_str(&format!("{indent}healthcheck type {}\n", token(kind)));
            describe_arguments(out, dockerfile, command, indent);
        }
        Arguments::Onbuild(trigger) => {
            out.push_str(&format!(
                "{indent}trigger {} at {:?}\n",
                trigger.keyword.text,
                dockerfile.text(trigger.span)
            ));
            describe_instruction(out, dockerfile, trigger, &format!("{indent}    "));
        }
        Arguments::Ignored => out.push_str(&format!("{indent}ignored\n")),
    }
}

#[test]
fn fixtures_match_their_snapshots() {
    for (name, bytes) in fixtures() {
        let dockerfile = syntax::parse_bytes(&bytes);
        insta::assert_snapshot!(format!("{name}.summary"), describe(&dockerfile));
        insta::assert_json_snapshot!(format!("{name}.tree"), dockerfile);
    }
}

#[test]
fn printing_the_tree_gives_the_input_back() {
    for (name, bytes) in fixtures() {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        assert_eq!(syntax::parse(text).print(), text, "{name}");
    }
}

/// Items tile the source; every inner span lies inside its item, on character boundaries.
fn check_invariants(dockerfile: &Dockerfile) {
    let source = &dockerfile.source;
    let mut cursor = dockerfile.bom.map_or(0, |bom| bom.end);
    for item in &dockerfile.items {
        let span = item.span();
        assert_eq!(span.start, cursor, "items must tile the source");
        cursor = span.end;
        let mut spans = Vec::new();
        match item {
            Item::Instruction(instruction) => collect_spans(instruction, &mut spans),
            Item::Error(error) => spans.push(error.error.span),
            Item::Directive(directive) => spans.extend([directive.name.span, directive.value.span]),
            Item::Comment(comment) => spans.push(comment.text_span),
            Item::Blank { .. } => {}
        }
        if let Item::Instruction(instruction) = item {
            check_pieces(source, instruction);
        }
        for inner in spans {
            assert!(span.contains(inner), "{inner:?} outside {span:?}");
            assert!(source.is_char_boundary(inner.start) && source.is_char_boundary(inner.end));
        }
    }
    assert_eq!(cursor, source.len(), "items must reach the end");
}

/// The pieces rebuild `original`, and a shell token's map lands on the same bytes.
fn check_pieces(source: &str, instruction: &Instruction) {
    let joined: String = instruction
        .pieces
        .iter()
        .map(|piece| piece.text(source))
        .collect();
    assert_eq!(joined, instruction.original);
    if let Arguments::Shell(token) = &instruction.arguments {
        let map = instruction
            .token_map(token)
            .expect("shell text is copied verbatim");
        for (offset, byte) in token.text.bytes().enumerate() {
            assert_eq!(source.as_bytes()[map.source_offset(offset)], byte);
        }
    }
    if let Arguments::Onbuild(trigger) = &instruction.arguments {
        check_pieces(source, trigger);
    }
}

fn collect_spans(instruction: &Instruction, spans: &mut Vec<Span>) {
    spans.push(instruction.keyword.span);
    spans.extend(instruction.flags.iter().map(|flag| flag.span));
    collect_argument_spans(&instruction.arguments, spans);
    for heredoc in &instruction.heredocs {
        spans.extend([heredoc.marker, heredoc.content_span, heredoc.terminator]);
    }
}

fn collect_argument_spans(arguments: &Arguments, spans: &mut Vec<Span>) {
    match arguments {
        Arguments::Exec(tokens) | Arguments::Words(tokens) => {
            spans.extend(tokens.iter().map(|t| t.span))
        }
        Arguments::Shell(t) | Arguments::Text(t) => spans.push(t.span),
        Arguments::KeyValues(pairs) => {
            spans.extend(pairs.iter().flat_map(|p| [p.key.span, p.value.span]))
        }
        Arguments::Healthcheck { kind, command } => {
            spans.push(kind.span);
            collect_argument_spans(command, spans);
        }
        Arguments::Onbuild(trigger) => collect_spans(trigger, spans),
        Arguments::None | Arguments::Ignored => {}
    }
}

#[test]
fn fixtures_keep_span_invariants() {
    for (_, bytes) in fixtures() {
        check_invariants(&syntax::parse_bytes(&bytes));
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
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

const INSERTIONS: &[&[u8]] = &[
    b"\\",
    b"`",
    b"<<",
    b"<<-",
    b"<<'",
    b"[",
    b"]",
    b"\"",
    b"'",
    b"\n",
    b"\r\n",
    b"\\\n",
    b"# escape=`\n",
    b"--",
    b"--x=",
    b"=",
    b"${",
    b"\t",
    b" ",
    b"\xff",
    b"\xe2\x98",
    b"ONBUILD ",
    b"EOF\n",
    b"\0",
];

fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 => out.truncate(at),
            1 => {
                let insertion = INSERTIONS[rng.below(INSERTIONS.len())];
                out.splice(at..at, insertion.iter().copied());
            }
            2 => {
                let random: Vec<u8> = (0..rng.below(8)).map(|_| rng.next() as u8).collect();
                out.splice(at..at, random);
            }
            _ => {
                let end = (at + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
        }
    }
    out
}

#[test]
fn mutated_inputs_never_panic_and_stay_lossless() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let corpus = fixtures();
    for round in 0..4000 {
        let (_, base) = &corpus[round % corpus.len()];
        let input = mutate(&mut rng, base);
        let dockerfile = syntax::parse_bytes(&input);
        check_invariants(&dockerfile);
        let _ = syntax::dump(&dockerfile);
        serde_json::to_string(&dockerfile).unwrap();
        if let Ok(text) = std::str::from_utf8(&input) {
            assert_eq!(dockerfile.print(), text, "round {round}");
        }
    }
    // Every truncation of every fixture, too.
    for (_, base) in corpus.iter().filter(|(_, base)| base.len() < 4096) {
        for end in 0..base.len() {
            check_invariants(&syntax::parse_bytes(&base[..end]));
        }
    }
}
