//! BuildKit's `Node.Dump()` format: one s-expression per instruction.

use super::quote::go_quote;
use super::tree::{Arguments, Dockerfile, Flag, Instruction};

/// The dump of the whole file, as `parser.Parse(df).AST.Dump() + "\n"` prints it.
pub fn dump(dockerfile: &Dockerfile) -> String {
    let mut out = String::new();
    for instruction in dockerfile.instructions() {
        out.push('(');
        out.push_str(&dump_instruction(instruction));
        out.push_str(")\n");
    }
    let mut out = out.trim().to_string();
    out.push('\n');
    out
}

/// One instruction: lowercased keyword, flags as a Go `%q` slice, then each value quoted.
pub fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = instruction.keyword.text.to_lowercase();
    push_flags(&mut out, &instruction.flags);
    push_arguments(&mut out, &instruction.arguments);
    out.trim().to_string()
}

fn push_flags(out: &mut String, flags: &[Flag]) {
    if flags.is_empty() {
        return;
    }
    let quoted: Vec<String> = flags.iter().map(|flag| go_quote(&flag.text)).collect();
    out.push_str(" [");
    out.push_str(&quoted.join(" "));
    out.push(']');
}

fn push_value(out: &mut String, value: &str) {
    out.push(' ');
    out.push_str(&go_quote(value));
}

fn push_arguments(out: &mut String, arguments: &Arguments) {
    match arguments {
        Arguments::None => {}
        Arguments::Exec(tokens) | Arguments::Words(tokens) => {
            tokens.iter().for_each(|token| push_value(out, &token.text));
        }
        Arguments::Shell(token) | Arguments::Text(token) => push_value(out, &token.text),
        Arguments::KeyValues(pairs) => {
            for pair in pairs {
                push_value(out, &pair.key.text);
                push_value(out, &pair.value.text);
                push_value(out, if pair.legacy { "" } else { "=" });
            }
        }
        Arguments::Healthcheck { kind, command } => {
            push_value(out, &kind.text);
            push_arguments(out, command);
        }
        Arguments::Onbuild(trigger) => {
            out.push_str(" (");
            out.push_str(&dump_instruction(trigger));
            out.push(')');
        }
        Arguments::Ignored => push_value(out, ""),
    }
}
