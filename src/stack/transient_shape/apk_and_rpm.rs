//! The transient shapes of apk and the rpm family (see `plan::transient::managers`), read
//! from the commands before and after the original ones in a step signature (assignments
//! and the words `for` loops run over are not in it). Each shape is matched whole: its
//! commands, in its order, with nothing else among them.

/// Whether `before` and `after` are what an apk or rpm-family transient step puts around
/// the original step.
pub fn wraps(before: &[&str], after: &[&str]) -> bool {
    apk(before, after) || rpm(before, after)
}

/// Notes which of the named packages were installed before the RUN.
const APK_INSTALLED_BEFORE: &str = "apk info -e \"$dlayerName\"";
const RPM_INSTALLED_BEFORE: &str = "rpm -q --whatprovides \"$dlayerName\"";
/// Lists the installed packages that provide a shared library, then keeps them.
const APK_LIBRARY_PACKAGES: &str =
    "awk '/^P:/ { name = substr($0, 3) } /^p:.*so:/ { print name }' /lib/apk/db/installed";
const APK_KEEP_LIBRARIES: &str = "apk add --virtual .dlayer-runtime-libs $dlayerLibraries";
const NONE_INSTALLED_BEFORE: &str = "[ -z \"$dlayerInstalledBefore\" ]";

/// `[apk info -e]`, `[apk update…, apk add … --virtual .dlayer-build-deps …]`, the original, the runtime
/// libraries kept, `[apk del .dlayer-build-deps]`, `[the named packages removed]`: the
/// install, the check of the named packages or both, each with its removal.
fn apk(before: &[&str], after: &[&str]) -> bool {
    let (checks_named, rest) = match before {
        [check, rest @ ..] if *check == APK_INSTALLED_BEFORE => (true, rest),
        rest => (false, rest),
    };
    // Each install's virtual package, in order: `apk del` removes exactly those.
    let groups: Vec<&str> = if rest.is_empty() {
        if !checks_named {
            return false;
        }
        Vec::new()
    } else {
        let Some(first_install) = rest.iter().position(|c| apk_build_deps(c).is_some()) else {
            return false;
        };
        let (updates, installs) = rest.split_at(first_install);
        let groups: Option<Vec<&str>> = installs.iter().map(|c| apk_build_deps(c)).collect();
        match groups {
            Some(groups) if updates.iter().all(|update| is_apk_update(update)) => groups,
            _ => return false,
        }
    };
    let expected: Vec<String> = (0..groups.len())
        .map(|index| match index {
            0 => ".dlayer-build-deps".to_string(),
            index => format!(".dlayer-build-deps-{}", index + 1),
        })
        .collect();
    if groups != expected {
        return false;
    }
    let [libraries, keep, rest @ ..] = after else {
        return false;
    };
    if *libraries != APK_LIBRARY_PACKAGES || *keep != APK_KEEP_LIBRARIES {
        return false;
    }
    let rest = match rest {
        [remove, rest @ ..]
            if !groups.is_empty() && *remove == format!("apk del {}", groups.join(" ")) =>
        {
            rest
        }
        _ if !groups.is_empty() => return false,
        rest => rest,
    };
    if checks_named {
        removes_if_none_before(rest, &[], "apk del", "installed before this step")
    } else {
        rest.is_empty()
    }
}

/// The virtual package of `apk … add … --virtual .dlayer-build-deps[-N] …` (or `-t`).
fn apk_build_deps(command: &str) -> Option<&str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if words.first() != Some(&"apk")
        || words[1..].iter().find(|word| !word.starts_with('-')) != Some(&"add")
    {
        return None;
    }
    words.windows(2).find_map(|pair| {
        (matches!(pair[0], "--virtual" | "-t") && pair[1].starts_with(".dlayer-build-deps"))
            .then_some(pair[1])
    })
}

/// `apk … update`: the index the install reads.
fn is_apk_update(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.first() == Some(&"apk")
        && words[1..].iter().find(|word| !word.starts_with('-')) == Some(&"update")
}

/// `rpm -q --whatprovides`, the installs, the original, the named packages removed.
fn rpm(before: &[&str], after: &[&str]) -> bool {
    let [check, installs @ ..] = before else {
        return false;
    };
    *check == RPM_INSTALLED_BEFORE
        && installs.iter().all(|command| is_rpm_install(command))
        && removes_if_none_before(
            after,
            &["rpm -q", "rpm -e --test --allmatches"],
            "rpm -e --allmatches",
            "installed before this step or still required",
        )
}

/// An rpm-family install (its package words are not in the signature).
fn is_rpm_install(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some((manager, rest)) = words.split_first() else {
        return false;
    };
    matches!(
        *manager,
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "zypper"
    ) && rest
        .iter()
        .find(|word| !word.starts_with('-'))
        .is_some_and(|sub| matches!(*sub, "install" | "in"))
}

/// `[ -z "$dlayerInstalledBefore" ]`, `CHECK NAMES` for each of `checks`, `REMOVE NAMES`, the
/// message saying the named packages were kept and `why`: the same plain names in each.
fn removes_if_none_before(commands: &[&str], checks: &[&str], remove: &str, why: &str) -> bool {
    let [first, rest @ ..] = commands else {
        return false;
    };
    let [checked @ .., removal, message] = rest else {
        return false;
    };
    let Some(names) = removal.strip_prefix(remove).map(str::trim) else {
        return false;
    };
    let plain = |name: &str| {
        !name.starts_with('-')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
    };
    *first == NONE_INSTALLED_BEFORE
        && checked.len() == checks.len()
        && checked
            .iter()
            .zip(checks)
            .all(|(command, check)| *command == format!("{check} {names}"))
        && !names.is_empty()
        && names.split(' ').all(plain)
        && *message == format!("echo \"dlayer: {names} kept ({why}:$dlayerInstalledBefore)\"")
}

#[cfg(test)]
mod tests {
    use super::wraps;

    fn split(signature: &str) -> Vec<&str> {
        signature.split('|').collect()
    }

    const APK_AFTER: &str = "awk '/^P:/ { name = substr($0, 3) } /^p:.*so:/ { print name }' /lib/apk/db/installed|apk add --virtual .dlayer-runtime-libs $dlayerLibraries";
    const APK_NAMED: &str = "[ -z \"$dlayerInstalledBefore\" ]|apk del git|echo \"dlayer: git kept (installed before this step:$dlayerInstalledBefore)\"";
    const RPM_NAMED: &str = "[ -z \"$dlayerInstalledBefore\" ]|rpm -q gcc make|rpm -e --test --allmatches gcc make|rpm -e --allmatches gcc make|echo \"dlayer: gcc make kept (installed before this step or still required:$dlayerInstalledBefore)\"";

    #[test]
    fn accepts_apk_build_deps_and_named_packages() {
        let install = "apk add --virtual .dlayer-build-deps --no-cache";
        let check = "apk info -e \"$dlayerName\"";
        let del = "apk del .dlayer-build-deps";
        assert!(wraps(&[install], &split(&format!("{APK_AFTER}|{del}"))));
        assert!(wraps(&[check], &split(&format!("{APK_AFTER}|{APK_NAMED}"))));
        assert!(wraps(
            &[check, install],
            &split(&format!("{APK_AFTER}|{del}|{APK_NAMED}"))
        ));
        assert!(wraps(
            &["apk add --no-cache -t .dlayer-build-deps"],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
        assert!(wraps(
            &[install, "apk add -t .dlayer-build-deps-2"],
            &split(&format!(
                "{APK_AFTER}|apk del .dlayer-build-deps .dlayer-build-deps-2"
            ))
        ));
        assert!(wraps(
            &["apk update", install],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
    }

    #[test]
    fn rejects_apk_shapes_that_differ() {
        let install = "apk add --virtual .dlayer-build-deps --no-cache";
        let del = "apk del .dlayer-build-deps";
        // No removal, a removal without the libraries kept, another virtual package.
        assert!(!wraps(&[install], &split(APK_AFTER)));
        assert!(!wraps(&[install], &[del]));
        // Two installs, one removed; the same group twice.
        assert!(!wraps(
            &[install, "apk add -t .dlayer-build-deps-2"],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
        assert!(!wraps(
            &[install, install],
            &split(&format!(
                "{APK_AFTER}|apk del .dlayer-build-deps .dlayer-build-deps"
            ))
        ));
        assert!(!wraps(
            &["apk update"],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
        assert!(!wraps(
            &[install, "apk update"],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
        assert!(!wraps(
            &["apk del --virtual .dlayer-build-deps"],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
        assert!(!wraps(
            &["apk add --virtual .build-deps"],
            &split(&format!("{APK_AFTER}|{del}"))
        ));
        // Another command among them, or the named removal without its check.
        assert!(!wraps(
            &[install],
            &split(&format!("{APK_AFTER}|rm -rf /usr|{del}"))
        ));
        assert!(!wraps(
            &[install],
            &split(&format!("{APK_AFTER}|{del}|{APK_NAMED}"))
        ));
        // Unconditional removal, or a message that names other packages.
        assert!(!wraps(
            &["apk info -e \"$dlayerName\""],
            &split(&format!("{APK_AFTER}|apk del git"))
        ));
        assert!(!wraps(
            &["apk info -e \"$dlayerName\""],
            &split(&format!(
                "{APK_AFTER}|[ -z \"$dlayerInstalledBefore\" ]|apk del git|echo \"dlayer: gcc kept (installed before this step:$dlayerInstalledBefore)\""
            ))
        ));
    }

    #[test]
    fn accepts_rpm_checked_removal() {
        let check = "rpm -q --whatprovides \"$dlayerName\"";
        assert!(wraps(&[check, "yum install -y"], &split(RPM_NAMED)));
        assert!(wraps(&[check, "zypper -n in"], &split(RPM_NAMED)));
        assert!(wraps(&[check], &split(RPM_NAMED)));
    }

    #[test]
    fn rejects_rpm_shapes_that_differ() {
        let check = "rpm -q --whatprovides \"$dlayerName\"";
        // Without the check, with another command, with `yum remove` or another removal.
        assert!(!wraps(&["yum install -y"], &split(RPM_NAMED)));
        assert!(!wraps(
            &[check, "curl x", "yum install -y"],
            &split(RPM_NAMED)
        ));
        assert!(!wraps(&[check, "yum update -y"], &split(RPM_NAMED)));
        assert!(!wraps(
            &[check],
            &split(
                "[ -z \"$dlayerInstalledBefore\" ]|rpm -q gcc|rpm -e --test --allmatches gcc|yum remove -y gcc|echo \"dlayer: gcc kept (installed before this step or still required:$dlayerInstalledBefore)\""
            )
        ));
        // Queried and removed names that differ, a name that is a variable or an option.
        assert!(!wraps(
            &[check],
            &split(
                "[ -z \"$dlayerInstalledBefore\" ]|rpm -q gcc|rpm -e --test --allmatches gcc make|rpm -e --allmatches gcc make|echo \"dlayer: gcc make kept (installed before this step or still required:$dlayerInstalledBefore)\""
            )
        ));
        assert!(!wraps(
            &[check],
            &split(
                "[ -z \"$dlayerInstalledBefore\" ]|rpm -q $x|rpm -e --test --allmatches $x|rpm -e --allmatches $x|echo \"dlayer: $x kept (installed before this step or still required:$dlayerInstalledBefore)\""
            )
        ));
        assert!(!wraps(
            &[check],
            &split(
                "[ -z \"$dlayerInstalledBefore\" ]|rpm -q --nodeps gcc|rpm -e --test --allmatches --nodeps gcc|rpm -e --allmatches --nodeps gcc|echo \"dlayer: --nodeps gcc kept (installed before this step or still required:$dlayerInstalledBefore)\""
            )
        ));
        // Without the test of what the erase would break.
        assert!(!wraps(
            &[check],
            &split(
                "[ -z \"$dlayerInstalledBefore\" ]|rpm -q gcc|rpm -e --allmatches gcc|echo \"dlayer: gcc kept (installed before this step or still required:$dlayerInstalledBefore)\""
            )
        ));
        // The removal alone.
        assert!(!wraps(&[check], &["rpm -e --allmatches gcc"]));
    }
}
