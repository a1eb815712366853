//! supervisord's configuration: the `[program:x]` sections of the files an image writes.

/// One `[program:x]` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramSection {
    pub name: String,
    /// `command=`, as written.
    pub command: String,
    pub directory: Option<String>,
    pub user: Option<String>,
    pub environment: Vec<(String, String)>,
    /// `priority=` (lower starts first; supervisord's default is 999).
    pub priority: i64,
    pub autostart: bool,
    pub numprocs: u32,
}

/// The `[program:x]` sections of a configuration file, in file order. A section without a
/// `command=` is left out (supervisord refuses it).
pub fn programs(text: &str) -> Vec<ProgramSection> {
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(';') || trimmed.starts_with('#') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            sections.push((header.trim().to_string(), Vec::new()));
            continue;
        }
        let Some((_, keys)) = sections.last_mut() else {
            continue;
        };
        // An indented line continues the previous value.
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = keys.last_mut() {
                value.push(' ');
                value.push_str(strip_inline_comment(trimmed));
            }
            continue;
        }
        if let Some((key, value)) = trimmed.split_once(['=', ':']) {
            keys.push((
                key.trim().to_ascii_lowercase(),
                strip_inline_comment(value.trim()).to_string(),
            ));
        }
    }
    sections
        .into_iter()
        .filter_map(|(header, keys)| {
            let name = header.strip_prefix("program:")?.trim().to_string();
            let get = |wanted: &str| {
                keys.iter()
                    .rev()
                    .find(|(key, _)| key == wanted)
                    .map(|(_, value)| value.clone())
            };
            Some(ProgramSection {
                command: get("command")?,
                directory: get("directory"),
                user: get("user"),
                environment: get("environment")
                    .map(|value| environment(&value))
                    .unwrap_or_default(),
                priority: get("priority")
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(999),
                autostart: get("autostart")
                    .is_none_or(|value| !value.eq_ignore_ascii_case("false")),
                numprocs: get("numprocs")
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(1),
                name,
            })
        })
        .collect()
}

/// supervisord strips a comment that starts with ` ;` from a value.
fn strip_inline_comment(value: &str) -> &str {
    match value.find(" ;") {
        Some(at) => value[..at].trim_end(),
        None => value,
    }
}

/// `A="x",B=y`: the pairs of an `environment=` value (commas inside quotes kept).
fn environment(value: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut push = |text: &str| {
        if let Some((key, value)) = text.split_once('=') {
            let value = value.trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            pairs.push((key.trim().to_string(), unquoted.to_string()));
        }
    };
    for c in value.chars() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(open)) if c == open => quote = None,
            (',', None) => {
                push(&current);
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    push(&current);
    pairs
}

/// Splits a `command=` as supervisord does (POSIX shell-like words, no expansion); `None` for
/// unbalanced quotes.
pub fn split_command(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(word) = current.take() {
                    words.push(word);
                }
            }
            '\'' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                let word = current.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => current.get_or_insert_with(String::new).push(chars.next()?),
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(current);
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_program_sections() {
        let text = "[supervisord]\nnodaemon=true\n\n[program:nginx]\ncommand=nginx -g 'daemon off;' ; web\npriority=10\n\n[program:worker]\ncommand=/usr/bin/php\n  /app/worker.php\nuser=www-data\ndirectory=/app\nenvironment=A=\"1,2\",B=x\nautostart=false\n[program:broken]\nuser=x\n";
        let found = programs(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "nginx");
        assert_eq!(found[0].command, "nginx -g 'daemon off;'");
        assert_eq!(found[0].priority, 10);
        assert_eq!(found[1].command, "/usr/bin/php /app/worker.php");
        assert_eq!(found[1].user.as_deref(), Some("www-data"));
        assert_eq!(
            found[1].environment,
            [
                ("A".to_string(), "1,2".to_string()),
                ("B".into(), "x".into())
            ]
        );
        assert!(!found[1].autostart);
    }

    #[test]
    fn splits_commands_like_a_shell() {
        assert_eq!(
            split_command("nginx -g 'daemon off;'").unwrap(),
            ["nginx", "-g", "daemon off;"]
        );
        assert_eq!(
            split_command(r#"sh -c "echo \"hi\"" a\ b"#).unwrap(),
            ["sh", "-c", "echo \"hi\"", "a b"]
        );
        assert!(split_command("a 'b").is_none());
    }
}
