//! What a transient step writes around the original RUN, per package-manager family: the
//! commands before its installs, how an install is adapted, the commands after the step.
//! Every shape removes nothing the image had before the RUN and nothing a package the step
//! installed still needs; each family says below how.
//!
//! apk and the rpm family (yum, dnf, microdnf, tdnf, zypper) could not be judged by real
//! builds here (the engine builds Debian only): their shapes are proved by running the
//! generated RUN against stub package managers (`tests/transient_managers.rs`), not by
//! building Alpine or CentOS images.

use std::ops::Range;

/// A package-manager family whose transient build dependencies dlayer writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::stack::plan) enum Family {
    Apt,
    Apk,
    Rpm,
}

/// The apk virtual package grouping the build dependencies a transient step installs.
pub const APK_BUILD_DEPS: &str = ".dlayer-build-deps";
/// The apk virtual package keeping the runtime libraries a transient step pulled in.
pub const APK_RUNTIME_LIBRARIES: &str = ".dlayer-runtime-libs";

impl Family {
    /// The family of package manager `manager`, if dlayer writes transient steps for it.
    pub fn of(manager: &str) -> Option<Family> {
        match manager {
            "apt-get" | "apt" => Some(Family::Apt),
            "apk" => Some(Family::Apk),
            "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "zypper" => Some(Family::Rpm),
            _ => None,
        }
    }

    /// The commands that run first: what must be known about the image before it changes.
    /// `installs`: whether the RUN installs the development packages of earlier steps;
    /// `removed`: the development packages it removes at its end; `own`: those of them the
    /// original step installs itself.
    pub fn before(self, installs: bool, removed: &[String], own: &[String]) -> Vec<String> {
        match self {
            Family::Apt if installs => vec![APT_FETCH_LISTS.into(), APT_LIST_INSTALLED.into()],
            Family::Apt => Vec::new(),
            // The build dependencies' virtual package takes care of what `installs` brings;
            // the packages the step installs itself are removed only if none was there.
            Family::Apk if own.is_empty() => Vec::new(),
            Family::Apk => vec![format!(
                "for dlayerName in {}; do if apk info -e \"$dlayerName\" > /dev/null; then dlayerInstalledBefore=\"$dlayerInstalledBefore $dlayerName\"; fi; done",
                own.join(" ")
            )],
            Family::Rpm if removed.is_empty() => Vec::new(),
            Family::Rpm => vec![format!(
                "for dlayerName in {}; do if rpm -q --whatprovides \"$dlayerName\" > /dev/null 2>&1; then dlayerInstalledBefore=\"$dlayerInstalledBefore $dlayerName\"; fi; done",
                removed.join(" ")
            )],
        }
    }

    /// The install command `command` (its text, the subcommand word ending at byte
    /// `subcommand_end` of it, the name of a virtual package it installs into at `virtual`),
    /// as the transient step runs it.
    pub fn install(
        self,
        command: &str,
        subcommand_end: usize,
        virtual_name: Option<Range<usize>>,
    ) -> String {
        match (self, virtual_name) {
            // Grouped under a virtual package, which `apk del` removes with what only it
            // needed: a package the image had before stays (something still needs it).
            (Family::Apk, None) => format!(
                "{} --virtual {APK_BUILD_DEPS}{}",
                &command[..subcommand_end],
                &command[subcommand_end..]
            ),
            // The original's own virtual package is named as dlayer's: a name only groups
            // the packages, it changes nothing installed.
            (Family::Apk, Some(name)) => format!(
                "{}{APK_BUILD_DEPS}{}",
                &command[..name.start],
                &command[name.end..]
            ),
            (Family::Apt | Family::Rpm, _) => command.to_string(),
        }
    }

    /// The commands right after the installs of the development packages: what they added.
    pub fn after_installs(self) -> Vec<String> {
        match self {
            Family::Apt => vec![APT_LIST_ADDED.into()],
            Family::Apk | Family::Rpm => Vec::new(),
        }
    }

    /// The commands after the original step. `groups`: the apk virtual packages of its
    /// installs; `removed`: the development packages to remove (the production steps'
    /// packages already taken out); `named`: every development package the step installs or
    /// uses.
    pub fn after(
        self,
        installs: bool,
        groups: &[String],
        removed: &[String],
        own: &[String],
        named: &[String],
    ) -> Vec<String> {
        let mut commands = Vec::new();
        match self {
            Family::Apt => {
                if !removed.is_empty() {
                    commands.extend(APT_KEEP_RUNTIME_LIBRARIES.map(String::from));
                    commands.push(format!(
                        "apt-get purge -y --auto-remove {}",
                        removed.join(" ")
                    ));
                    if installs {
                        commands.extend(APT_PURGE_ADDED_LEFT_OVER.map(String::from));
                    }
                }
                if installs {
                    commands.push(APT_DROP_FETCHED_LISTS.into());
                }
            }
            Family::Apk => {
                if !installs && own.is_empty() {
                    return commands;
                }
                // Runtime libraries: what the step built may link against a library a `-dev`
                // package pulled in (postgresql-dev → libpq), which the removal would take.
                // The outputs are not known, so neither are the libraries they use: every
                // installed package providing a shared library (`so:` in apk's database),
                // other than the development packages themselves, joins a virtual package
                // that stays. That keeps some compiler libraries too (gmp, mpc1, isl, and
                // binutils, which provides libbfd), a few MB, but never breaks what was built.
                // A repository tag (`python3-dev@edge`) is no part of the installed name.
                let mut excluded: Vec<String> = named
                    .iter()
                    .map(|name| name.split('@').next().unwrap_or(name).to_string())
                    .collect();
                excluded.push("*-dev".into());
                commands.push(format!(
                    "for dlayerPackage in $(awk '/^P:/ {{ name = substr($0, 3) }} /^p:.*so:/ {{ print name }}' /lib/apk/db/installed); do case \"$dlayerPackage\" in {}) ;; *) dlayerLibraries=\"$dlayerLibraries $dlayerPackage\" ;; esac; done",
                    excluded.join("|")
                ));
                commands.push(format!(
                    "apk add --virtual {APK_RUNTIME_LIBRARIES} $dlayerLibraries"
                ));
                if !groups.is_empty() {
                    commands.push(format!("apk del {}", groups.join(" ")));
                }
                if !own.is_empty() {
                    commands.push(keep_or_remove("apk del", own));
                }
            }
            Family::Rpm => {
                // `rpm -e` of the named packages, in one transaction: it removes nothing
                // else (yum/dnf `remove` would take what requires them along), and only
                // after `rpm -e --test` says no package left would miss one. The packages
                // they pulled in stay: which of them the built outputs use is not known.
                if !removed.is_empty() {
                    commands.push(keep_or_remove("rpm -e --allmatches", removed));
                }
            }
        }
        commands
    }
}

/// Names the apk virtual packages of `installs` (written with [`APK_BUILD_DEPS`]) one by one:
/// the first keeps the name, the next are numbered (`.dlayer-build-deps-2`). Their names, in
/// order.
pub fn number_apk_groups(installs: &mut [String]) -> Vec<String> {
    let mut groups = Vec::new();
    for install in installs.iter_mut() {
        let at = install.match_indices(APK_BUILD_DEPS).find(|(at, _)| {
            install[at + APK_BUILD_DEPS.len()..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        });
        let Some((at, _)) = at else {
            continue;
        };
        let name = match groups.len() {
            0 => APK_BUILD_DEPS.to_string(),
            count => format!("{APK_BUILD_DEPS}-{}", count + 1),
        };
        install.replace_range(at..at + APK_BUILD_DEPS.len(), &name);
        groups.push(name);
    }
    groups
}

/// Removes `names` with `remove` when none was installed before the RUN (and, for rpm, each
/// is a package's own name now and nothing left would miss them: `rpm -e --test`): otherwise
/// nothing, saying so in the build log, since a package the image had before or one a package
/// the step installed requires must stay, and failing the build over it would help no one.
fn keep_or_remove(remove: &str, names: &[String]) -> String {
    let names = names.join(" ");
    let (removable, why) = match remove.strip_prefix("rpm -e") {
        Some(options) => (
            format!(
                " && rpm -q {names} > /dev/null && rpm -e --test{options} {names} > /dev/null 2>&1"
            ),
            "installed before this step or still required",
        ),
        None => (String::new(), "installed before this step"),
    };
    format!(
        "if [ -z \"$dlayerInstalledBefore\" ]{removable}; then {remove} {names}; else echo \"dlayer: {names} kept ({why}:$dlayerInstalledBefore)\" >&2; fi"
    )
}

/// Fetches the package lists when an earlier step removed them (remembering it did).
const APT_FETCH_LISTS: &str = "if [ -z \"$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit)\" ]; then dlayerFetchedLists=yes; apt-get update; fi";

/// Marks every installed runtime library manual, so that `--auto-remove` keeps them (a loop,
/// not a pipe: a pipe's failure would hide in its last command).
const APT_KEEP_RUNTIME_LIBRARIES: [&str; 2] = [
    "for dlayerPackage in $(dpkg-query -W -f='${db:Status-Status}/${Package} ' 'lib*'); do case \"$dlayerPackage\" in installed/*-dev) ;; installed/*) dlayerLibraries=\"$dlayerLibraries ${dlayerPackage#installed/}\" ;; esac; done",
    "apt-mark manual $dlayerLibraries > /dev/null",
];

/// The packages installed before the development packages, as ` installed/NAME ` words.
const APT_LIST_INSTALLED: &str =
    "dlayerInstalled=\" $(dpkg-query -W -f='${db:Status-Status}/${Package} ') \"";

/// The packages the development packages' installs added, as ` NAME ` words.
const APT_LIST_ADDED: &str = "for dlayerPackage in $(dpkg-query -W -f='${db:Status-Status}/${Package} '); do case \"$dlayerInstalled\" in *\" $dlayerPackage \"*) ;; *) case \"$dlayerPackage\" in installed/*) dlayerAdded=\"$dlayerAdded ${dlayerPackage#installed/} \" ;; esac ;; esac; done";

/// Purges what those installs added and nothing needs any more. `--auto-remove` keeps a
/// package another one only suggests (git's `less`, which gzip suggests): the image had it
/// only for the development packages, so it leaves with them. A package something left
/// recommends stays, as it would have come with that package (libpsl5's `publicsuffix`).
/// Only packages the installs added are asked about, so nothing the image had before goes.
const APT_PURGE_ADDED_LEFT_OVER: [&str; 2] = [
    "for dlayerPackage in $(apt-get -s -o APT::AutoRemove::SuggestsImportant=false autoremove | sed -n 's/^Remv \\([^ :]*\\).*/\\1/p'); do case \"$dlayerAdded\" in *\" $dlayerPackage \"*) dlayerLeftOver=\"$dlayerLeftOver $dlayerPackage\" ;; esac; done",
    "if [ -n \"$dlayerLeftOver\" ]; then apt-get purge -y $dlayerLeftOver; fi",
];

/// Leaves the package lists as the image had them before this RUN.
const APT_DROP_FETCHED_LISTS: &str =
    "if [ \"$dlayerFetchedLists\" = yes ]; then rm -rf /var/lib/apt/lists/*; fi";
