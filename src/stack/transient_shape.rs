//! What the verifier accepts as a step given transient build dependencies (see
//! `plan::transient`): the original RUN's commands, intact and in order, after commands that
//! only fetch package lists and install packages, and before commands that only keep runtime
//! libraries, purge packages and remove the lists again. Read from step signatures (the
//! RUN's flags, then its commands joined by `|`), independently of how the split wrote it.
//! That is apt's shape; apk's and the rpm family's are in `apk_and_rpm`.

mod apk_and_rpm;
pub mod as_user;

/// Whether output signature `output` is original signature `original` wrapped that way.
pub fn wraps(output: &str, original: &str) -> bool {
    let (flags, commands) = split(original);
    !commands.is_empty()
        && unwrapped(output)
            .into_iter()
            .any(|(output_flags, inner)| output_flags == flags && inner == commands)
}

/// Every way output signature `output` reads as a step wrapped that way: its flags and the
/// commands between the install and the purge (a step cut in parts wraps only some of them).
pub fn unwrapped(output: &str) -> Vec<(&str, Vec<&str>)> {
    let (flags, commands) = split(output);
    let mut readings = Vec::new();
    for start in 0..commands.len() {
        for end in start + 1..commands.len() {
            let (before, after) = (&commands[..start], &commands[end..]);
            let apt_shape = before.iter().all(|c| is_before(c))
                && after.iter().all(|c| is_after(c))
                && after.iter().any(|c| is_purge(c));
            if apt_shape || apk_and_rpm::wraps(before, after) {
                readings.push((flags, commands[start..end].to_vec()));
            }
        }
    }
    readings
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
        // Listing the installed packages, to know what the installs added.
        ["dpkg-query", "-W", ..] => true,
        [manager @ ("apt-get" | "apt"), rest @ ..] => {
            subcommand(manager, rest).is_some_and(|sub| matches!(sub, "update" | "install"))
        }
        _ => false,
    }
}

/// The first word of a package manager's arguments that is neither an option nor an
/// option's value (`apt-get -t stretch install`: `install`).
fn subcommand<'w>(manager: &str, arguments: &[&'w str]) -> Option<&'w str> {
    let mut takes_value = false;
    for word in arguments {
        if std::mem::take(&mut takes_value) {
            continue;
        }
        if !word.starts_with('-') {
            return Some(word);
        }
        takes_value = crate::model::option_takes_next_word(manager, word);
    }
    None
}

/// Keeping the runtime libraries, purging, dropping the lists fetched for the step.
fn is_after(command: &str) -> bool {
    let words = words(command);
    match words.as_slice() {
        // The loop keeping runtime libraries: its list, the assignments building it.
        ["apt-mark", "manual", ..] | ["dpkg-query", "-W", ..] | ["[", ..] | [] => true,
        ["rm", "-rf", "/var/lib/apt/lists/*"] => true,
        // What the installs added and nothing needs any more: asked, then purged.
        [
            "apt-get",
            "-s",
            "-o",
            "APT::AutoRemove::SuggestsImportant=false",
            "autoremove",
        ] => true,
        ["sed", "-n", "'s/^Remv", "\\([^", ":]*\\).*/\\1/p'"] => true,
        ["apt-get", "purge", "-y", variable] => variable.starts_with('$'),
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
    use super::{unwrapped, wraps};

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
    fn accepts_purging_what_the_installs_added_and_nothing_needs() {
        let added = "dpkg-query -W -f='${db:Status-Status}/${Package} '";
        let asked = "apt-get -s -o APT::AutoRemove::SuggestsImportant=false autoremove|sed -n 's/^Remv \\([^ :]*\\).*/\\1/p'|[ -n \"$x\" ]";
        assert!(wraps(
            &format!(
                "RUN |{added}|apt-get install -y|{added}|cd /src|make|make install|apt-get purge -y --auto-remove gcc|{asked}|apt-get purge -y $x"
            ),
            ORIGINAL
        ));
        // Only a variable's packages: a named one would be a removal of the split's own.
        assert!(!wraps(
            &format!(
                "RUN |apt-get install -y|cd /src|make|make install|apt-get purge -y --auto-remove gcc|{asked}|apt-get purge -y nginx"
            ),
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

    #[test]
    fn reads_the_wrapped_commands_of_a_step_cut_in_parts() {
        let readings =
            unwrapped("RUN |apt-get install -y gcc|make|apt-get purge -y --auto-remove gcc");
        assert!(readings.contains(&("RUN ", vec!["make"])), "{readings:?}");
        assert!(unwrapped("RUN |apt-get install -y gcc|make").is_empty());
        let target_release = unwrapped(
            "RUN |apt-get -t stretch install -y gcc|make|apt-get purge -y --auto-remove gcc",
        );
        assert!(
            target_release.contains(&("RUN ", vec!["make"])),
            "{target_release:?}"
        );
        assert!(
            unwrapped("RUN |curl x|make|apt-get purge -y --auto-remove gcc")
                .iter()
                .all(|(_, inner)| inner.first() == Some(&"curl x"))
        );
    }
}
