//! A transient step whose original ran as a non-root USER: the RUN runs as root (installing
//! and removing packages needs it) and the original script runs as that user, in the same
//! RUN, through util-linux's `setpriv`:
//!
//! ```text
//! setpriv --reuid="$(id -u "U")" --regid="$(id -g "U")" --init-groups \
//!     env HOME="$(getent passwd "U" | cut -d: -f6)" /bin/sh -c '<the original script>'
//! ```
//!
//! What the runtime gives a step under `USER U` (checked by real builds against `USER`): the
//! uid and primary gid of U's passwd entry; as supplementary groups that gid and every group
//! listing U as a member (`initgroups`, as `--init-groups` sets them); under `USER U:G`, gid G
//! and no other group (`--groups` G alone); HOME from the passwd entry when no ENV sets it
//! (a root RUN has root's); the SHELL argv with the script as its last word (the `-c` shell
//! is the SHELL's own); the working directory, the other variables and no capability, as
//! `setpriv` leaves them for a non-root uid. A user missing from the passwd file fails both
//! builds. The ids are looked up when the RUN runs, so a USER naming a build argument
//! (`$APP_USER`) stays that argument's value.

use crate::model::Stage;
use crate::syntax::{Arguments, Dockerfile, Item, Keyword};

/// The USER value instruction `position` of `stage` runs with (the stage's length: the value
/// it ends with), as the Dockerfile writes it (`$APP_USER`, which a build argument may
/// change): the last USER before it in the stage, else the value its base stage leaves
/// (expanded).
pub fn written_user(dockerfile: &Dockerfile, stage: &Stage, position: usize) -> Option<String> {
    let written = stage.instructions[..position.min(stage.instructions.len())]
        .iter()
        .rev()
        .find_map(|model| match &dockerfile.items[model.item] {
            Item::Instruction(instruction) if instruction.kind == Keyword::User => {
                match &instruction.arguments {
                    Arguments::Text(user) => Some(user.text.trim().to_string()),
                    _ => None,
                }
            }
            _ => None,
        });
    written.or_else(|| {
        stage
            .instructions
            .get(position)
            .map_or(&stage.final_context, |model| &model.context)
            .user
            .clone()
    })
}

/// The command that runs `script` (as the shell receives it, continuations joined) as the
/// non-root user `user` (the USER value as written; `expanded`: with the values its variables
/// have by default) with the SHELL argv `shell`. `set_home`: no ENV sets HOME, so the
/// runtime would take it from the passwd file. `Err`: why the user cannot be named that way.
pub fn command(
    user: &str,
    expanded: &str,
    set_home: bool,
    shell: &[String],
    script: &str,
) -> Result<String, String> {
    let (name, group) = parts(user)?;
    let (expanded_name, expanded_group) = expanded.split_once(':').unwrap_or((expanded, ""));
    let numeric = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    // A uid with no passwd entry runs with gid 0 and HOME `/`, one with an entry as that
    // entry says: which one it is at this point of the build is not known here.
    if numeric(expanded_name) {
        return Err(format!(
            "it runs as uid `{expanded_name}`, which dlayer cannot tell from a user's passwd entry or its absence at this point"
        ));
    }
    let mut words = vec![
        "setpriv".to_string(),
        format!("--reuid=\"$(id -u \"{name}\")\""),
    ];
    match group {
        None => {
            words.push(format!("--regid=\"$(id -g \"{name}\")\""));
            words.push("--init-groups".into());
        }
        // A numeric group needs no entry in the group file.
        Some(group) if numeric(expanded_group) && group == expanded_group => {
            words.push(format!("--regid={group}"));
            words.push(format!("--groups={group}"));
        }
        Some(_) if numeric(expanded_group) => {
            return Err(format!(
                "its group `{expanded_group}` is a number given by a variable, which dlayer does not look up"
            ));
        }
        Some(group) => {
            let gid = format!("\"$(getent group \"{group}\" | cut -d: -f3)\"");
            words.push(format!("--regid={gid}"));
            words.push(format!("--groups={gid}"));
        }
    }
    if set_home {
        words.push("env".into());
        words.push(format!(
            "HOME=\"$(getent passwd \"{name}\" | cut -d: -f6)\""
        ));
    }
    words.extend(shell.iter().map(|word| quoted(word)));
    words.push(quoted(script));
    Ok(words.join(" "))
}

/// The user and group parts of a USER value, each either a plain name or number or made of
/// `$NAME`/`${NAME}` references and such characters, so that it reads the same inside a
/// double-quoted shell word (its variables are the RUN's environment there).
fn parts(user: &str) -> Result<(&str, Option<&str>), String> {
    let (name, group) = match user.split_once(':') {
        Some((name, group)) => (name, Some(group)),
        None => (user, None),
    };
    let readable = |part: &str| !part.is_empty() && plain_or_references(part);
    if readable(name) && group.is_none_or(readable) {
        Ok((name, group))
    } else {
        Err(format!(
            "its USER `{user}` is not a plain name or variable that dlayer writes into a shell command"
        ))
    }
}

fn plain_or_references(text: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    let is_name = |name: &str| {
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let mut rest = text;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix('$') else {
            let end = rest.find(|c: char| !plain(c)).unwrap_or(rest.len());
            if end == 0 {
                return false;
            }
            rest = &rest[end..];
            continue;
        };
        let (name, next) = match after.strip_prefix('{') {
            Some(braced) => match braced.split_once('}') {
                Some((name, next)) => (name, next),
                None => return false,
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                after.split_at(end)
            }
        };
        if !is_name(name) {
            return false;
        }
        rest = next;
    }
    true
}

/// `word` as one shell word: as it is when nothing in it is special, else single-quoted.
pub fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./=+,:@%-".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::command;

    fn sh() -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into()]
    }

    #[test]
    fn runs_a_named_user_with_its_groups_and_home() {
        assert_eq!(
            command("app", "app", true, &sh(), "make && echo 'done'").unwrap(),
            "setpriv --reuid=\"$(id -u \"app\")\" --regid=\"$(id -g \"app\")\" --init-groups env HOME=\"$(getent passwd \"app\" | cut -d: -f6)\" /bin/sh -c 'make && echo '\\''done'\\'''"
        );
    }

    #[test]
    fn a_group_replaces_the_supplementary_ones_and_an_env_home_stays() {
        assert_eq!(
            command("$U:staff", "app:staff", false, &sh(), "make").unwrap(),
            "setpriv --reuid=\"$(id -u \"$U\")\" --regid=\"$(getent group \"staff\" | cut -d: -f3)\" --groups=\"$(getent group \"staff\" | cut -d: -f3)\" /bin/sh -c make"
        );
        assert_eq!(
            command("app:100", "app:100", false, &sh(), "make").unwrap(),
            "setpriv --reuid=\"$(id -u \"app\")\" --regid=100 --groups=100 /bin/sh -c make"
        );
    }

    #[test]
    fn refuses_uids_and_values_it_cannot_quote() {
        assert!(command("1000", "1000", true, &sh(), "make").is_err());
        assert!(command("${U}", "1000", true, &sh(), "make").is_err());
        assert!(command("app:$G", "app:100", true, &sh(), "make").is_err());
        assert!(command("a\"b", "a\"b", true, &sh(), "make").is_err());
        assert!(command("${U:-app}", "app", true, &sh(), "make").is_err());
    }
}
