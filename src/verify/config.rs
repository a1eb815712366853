//! Image configuration (`docker image inspect`'s Config): what a container of the image is
//! started with must be equal, the sshd port aside (sshd leaves production), and production's
//! command may lack the start of a service whose program left production
//! (`service ssh start && ` dropped) when the dev target's command is the original's.

use serde_json::Value;

use super::Difference;

/// The compared fields, as `docker image inspect` names them.
const FIELDS: [&str; 10] = [
    "Cmd",
    "Entrypoint",
    "Env",
    "WorkingDir",
    "User",
    "ExposedPorts",
    "Volumes",
    "Labels",
    "Healthcheck",
    "StopSignal",
];

/// The port production may stop exposing.
const SSHD_PORT: &str = "22/tcp";

/// Production's configuration against the original's. `left` says whether a program path
/// (`etc/init.d/ssh`, `usr/sbin/sshd`) belongs to a package that left production; `dev` is the
/// dev target's configuration, which must keep the original's command whenever production's
/// drops a start.
pub fn compare(
    original: &Value,
    production: &Value,
    dev: Option<&Value>,
    left: &dyn Fn(&str) -> bool,
) -> Vec<Difference> {
    let mut differences: Vec<Difference> = FIELDS
        .iter()
        .filter_map(|field| {
            let was = normalized(field, original.get(*field));
            let now = normalized(field, production.get(*field));
            let dropped_starts = matches!(*field, "Cmd" | "Entrypoint")
                && drops_only_starts_of_gone(&was, &now, left);
            (was != now && !dropped_starts).then(|| {
                Difference::new(
                    "config",
                    field,
                    format!(
                        "{field}: {} in the original, {} in production",
                        shown(&was),
                        shown(&now)
                    ),
                )
            })
        })
        .collect();
    if let Some(dev) = dev {
        for field in ["Cmd", "Entrypoint"] {
            let was = normalized(field, original.get(field));
            let now = normalized(field, production.get(field));
            let in_dev = normalized(field, dev.get(field));
            if was != now && was != in_dev {
                differences.push(Difference::new(
                    "dev-config",
                    field,
                    format!(
                        "{field}: {} in the original, {} in the dev target",
                        shown(&was),
                        shown(&in_dev)
                    ),
                ));
            }
        }
    }
    differences
}

/// Production's command is the original's with some `&&`/`;` commands left out, each starting
/// a service whose program left production (`service ssh start`, `/etc/init.d/ssh start`,
/// `systemctl start ssh`, `/usr/sbin/sshd`).
fn drops_only_starts_of_gone(was: &Value, now: &Value, left: &dyn Fn(&str) -> bool) -> bool {
    let (Some(was), Some(now)) = (was.as_array(), now.as_array()) else {
        return false;
    };
    let (Some((was_script, was_head)), Some((now_script, now_head))) =
        (was.split_last(), now.split_last())
    else {
        return false;
    };
    if was_head != now_head {
        return false;
    }
    let (Some(was_script), Some(now_script)) = (was_script.as_str(), now_script.as_str()) else {
        return false;
    };
    let (was_commands, now_commands) = (list_commands(was_script), list_commands(now_script));
    let mut kept = now_commands.iter().peekable();
    let mut dropped = 0;
    for command in &was_commands {
        if kept.peek() == Some(&command) {
            kept.next();
        } else if starts_gone_service(command, left) {
            dropped += 1;
        } else {
            return false;
        }
    }
    kept.next().is_none() && dropped > 0
}

/// The commands of a plain `&&`/`;` list, trimmed (quotes kept whole).
fn list_commands(script: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, ';') => {
                commands.push(std::mem::take(&mut current));
                continue;
            }
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                commands.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    commands.push(current);
    commands
        .into_iter()
        .map(|command| command.trim().to_string())
        .filter(|command| !command.is_empty())
        .collect()
}

/// `service ssh start` → `etc/init.d/ssh` left; `/usr/sbin/sshd` → `usr/sbin/sshd` left.
fn starts_gone_service(command: &str, left: &dyn Fn(&str) -> bool) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    let starts = |verb: &str| matches!(verb, "start" | "restart");
    let paths: Vec<String> = match words.as_slice() {
        ["service", name, verb] if starts(verb) => vec![format!("etc/init.d/{name}")],
        ["systemctl", verb, name] if starts(verb) => {
            let unit = name.trim_end_matches(".service");
            ["lib", "usr/lib"]
                .iter()
                .map(|prefix| format!("{prefix}/systemd/system/{unit}.service"))
                .collect()
        }
        [program, verb] if program.contains("/init.d/") && starts(verb) => {
            vec![program.trim_start_matches('/').to_string()]
        }
        [program, ..] if program.starts_with('/') => {
            vec![program.trim_start_matches('/').to_string()]
        }
        [program, ..] => ["usr/sbin", "usr/bin", "sbin", "bin"]
            .iter()
            .map(|directory| format!("{directory}/{program}"))
            .collect(),
        [] => Vec::new(),
    };
    paths.iter().any(|path| left(path))
}

/// Absent, null, empty string, empty list and empty map are one thing; Env is compared as a
/// map (the order of ENV instructions across layers is not behaviour); 22/tcp is dropped.
fn normalized(field: &str, value: Option<&Value>) -> Value {
    let value = value.cloned().unwrap_or(Value::Null);
    let value = match (field, value) {
        ("Env", Value::Array(items)) => {
            let mut pairs: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            pairs.sort();
            Value::from(pairs)
        }
        ("ExposedPorts", Value::Object(mut ports)) => {
            ports.remove(SSHD_PORT);
            Value::Object(ports)
        }
        (_, value) => value,
    };
    let empty = match &value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    if empty { Value::Null } else { value }
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_sshd_port_env_order_and_empty_values_are_no_difference() {
        let original = json!({"Env": ["A=1", "B=2"], "ExposedPorts": {"22/tcp": {}, "80/tcp": {}}, "User": ""});
        let production =
            json!({"Env": ["B=2", "A=1"], "ExposedPorts": {"80/tcp": {}}, "Labels": null});
        assert!(compare(&original, &production, None, &|_| false).is_empty());
    }

    #[test]
    fn a_changed_command_or_user_is_listed() {
        let original = json!({"Cmd": ["supervisord"], "User": "svc"});
        let production = json!({"Cmd": ["sh"], "User": ""});
        let subjects: Vec<_> = compare(&original, &production, None, &|_| false)
            .into_iter()
            .map(|d| d.subject)
            .collect();
        assert_eq!(subjects, ["Cmd", "User"]);
    }

    fn ssh_left(path: &str) -> bool {
        path == "etc/init.d/ssh"
    }

    #[test]
    fn production_may_drop_the_start_of_a_service_that_left_when_dev_keeps_it() {
        let original = json!({"Cmd": ["/bin/sh", "-c", "service cron start && service ssh start && tail -f /dev/null"]});
        let production =
            json!({"Cmd": ["/bin/sh", "-c", "service cron start && tail -f /dev/null"]});
        assert!(compare(&original, &production, Some(&original), &ssh_left).is_empty());
        // The dev target must start it as the original did.
        let subjects: Vec<_> = compare(&original, &production, Some(&production), &ssh_left)
            .into_iter()
            .map(|d| (d.kind, d.subject))
            .collect();
        assert_eq!(subjects, [("dev-config", "Cmd".to_string())]);
        // Dropping a service that production still has is a difference.
        let without_cron =
            json!({"Cmd": ["/bin/sh", "-c", "service ssh start && tail -f /dev/null"]});
        let subjects: Vec<_> = compare(&original, &without_cron, Some(&original), &ssh_left)
            .into_iter()
            .map(|d| d.subject)
            .collect();
        assert_eq!(subjects, ["Cmd"]);
    }
}
