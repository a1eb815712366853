//! What the verifier accepts as a step given transient build dependencies (see
//! `plan::transient`): the original RUN's commands, intact and in order, after commands that
//! only fetch package lists and install packages, and before commands that only keep runtime
//! libraries, purge packages and remove the lists again. Read from step signatures (the
//! RUN's flags, then its commands joined by `|`), independently of how the split wrote it.
//! That is apt's shape; apk's and the rpm family's are in `apk_and_rpm`.

mod apk_and_rpm;

/// Whether output signature `output` is original signature `original` wrapped that way.
pub fn wraps(output: &str, original: &str) -> bool {
    let (flags, commands) = split(original);
    let (output_flags, output_commands) = split(output);
    if flags != output_flags || commands.is_empty() || output_commands.len() <= commands.len() {
        return false;
    }
    (0..=output_commands.len() - commands.len()).any(|start| {
        let end = start + commands.len();
        let (before, after) = (&output_commands[..start], &output_commands[end..]);
        output_commands[start..end] == commands[..]
            && (apk_and_rpm::wraps(before, after)
                || before.iter().all(|c| is_before(c))
                    && after.iter().all(|c| is_after(c))
                    && after.iter().any(|c| is_purge(c)))
    })
}

fn split(signature: &str) -> (&str, Vec<&str>) {
    let mut parts = signature.split('|');
    let flags = parts.next().unwrap_or("");
    (flags, parts.collect())
}

fn words(command: &str) -> Vec<&str> {
    command.split_whitespace().collect()
}

/// Fetching the lists when they are gone, installing packages.
fn is_before(command: &str) -> bool {
    let words = words(command);
    match words.as_slice() {
        ["[", "-z", ..] | ["find", "/var/lib/apt/lists", ..] => true,
        ["apt-get" | "apt", rest @ ..] => rest
            .iter()
            .find(|word| !word.starts_with('-'))
            .is_some_and(|sub| matches!(*sub, "update" | "install")),
        _ => false,
    }
}

/// Keeping the runtime libraries, purging, dropping the lists fetched for the step.
fn is_after(command: &str) -> bool {
    let words = words(command);
    match words.as_slice() {
        // The loop keeping runtime libraries: its list, the assignments building it.
        ["apt-mark", "manual", ..] | ["dpkg-query", "-W", ..] | ["[", ..] | [] => true,
        ["rm", "-rf", "/var/lib/apt/lists/*"] => true,
        _ => is_purge(command),
    }
}

fn is_purge(command: &str) -> bool {
    matches!(
        words(command).as_slice(),
        ["apt-get", "purge", "-y", "--auto-remove", _, ..]
    )
}

#[cfg(test)]
mod tests {
    use super::wraps;

    const ORIGINAL: &str = "RUN |cd /src|make|make install";

    #[test]
    fn accepts_the_original_between_an_install_and_its_purge() {
        assert!(wraps(
            "RUN |[ -z $(find)|find /var/lib/apt/lists -maxdepth 1|apt-get update|apt-get install -y|cd /src|make|make install|dpkg-query -W|||apt-mark manual $x|apt-get purge -y --auto-remove gcc make|[ $x = yes ]|rm -rf /var/lib/apt/lists/*",
            ORIGINAL
        ));
        assert!(wraps(
            "RUN |cd /src|make|make install|apt-get purge -y --auto-remove gcc",
            ORIGINAL
        ));
    }

    #[test]
    fn rejects_a_changed_step_or_other_commands() {
        assert!(!wraps(
            "RUN |apt-get install -y|cd /src|make|apt-get purge -y --auto-remove gcc",
            ORIGINAL
        ));
        assert!(!wraps(
            "RUN |curl x|cd /src|make|make install|apt-get purge -y --auto-remove gcc",
            ORIGINAL
        ));
        assert!(!wraps("RUN |cd /src|make|make install|rm -rf /", ORIGINAL));
        assert!(!wraps(
            "RUN --network=none |cd /src|make|make install|apt-get purge -y --auto-remove gcc",
            ORIGINAL
        ));
    }
}
