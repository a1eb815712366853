//! Package-manager invocations in RUN commands: which manager, what action, which packages
//! (with version pins and exact spans), the options that matter, and whether the same RUN
//! removes what it installed.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::shell::{Command, Word};
use crate::syntax::{LineIndex, Position, Span, byte_scan};

use super::catalog::{ByteSet, Catalog, Ecosystem, Layer};
use super::run::{command_name, word_str};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Install,
    Remove,
    /// Refresh the package index (`apt-get update`, `apk update`).
    Update,
    /// Upgrade installed packages (`apt-get upgrade`, `yum update` without names).
    Upgrade,
    Clean,
    Other,
}

#[derive(Clone, Debug, Serialize)]
pub struct Invocation {
    /// `apt-get`, `yum`, `apk`, `pip`, `npm`, ..., or `curl|sh` for a piped installer: one of
    /// a fixed set of names, so no string is allocated for it.
    pub manager: &'static str,
    pub ecosystem: Option<Ecosystem>,
    pub action: Action,
    /// The subcommand as written (`install`, `dist-upgrade`, `add`, `-S`): the manager's own
    /// name for it when written as that (most are), so that no string is made for it.
    pub subcommand: Option<Cow<'static, str>>,
    /// Option names as written, without dashes (`y`, `no-install-recommends`, `no-cache`): a
    /// letter or an option the manager's tables name is borrowed from them.
    pub options: Vec<Cow<'static, str>>,
    /// Index of the command in the instruction's `commands`.
    pub command: usize,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Span,
}

impl Invocation {
    pub fn has_option(&self, names: &[&str]) -> bool {
        self.options
            .iter()
            .any(|option| names.contains(&option.as_ref()))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Package {
    /// As [`Invocation::manager`] names it.
    pub manager: &'static str,
    pub action: Action,
    pub name: String,
    pub version: Option<String>,
    pub layer: Layer,
    /// The catalog entry's tags, shared with it.
    #[serde(serialize_with = "super::serialize_shared")]
    pub tags: Arc<[String]>,
    /// The catalog knows this package (otherwise the layer is the ecosystem's default).
    pub known: bool,
    /// The same RUN removes it again after installing it.
    pub removed_later: bool,
    /// Index into the instruction's `invocations`.
    pub invocation: usize,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Extracted {
    pub invocations: Vec<Invocation>,
    pub packages: Vec<Package>,
}

/// How one package manager's command line reads.
struct Manager {
    ecosystem: Ecosystem,
    /// Options that take the next word as their value.
    value_options: &'static [&'static str],
    /// Subcommand (first operand, or an option for pacman/rpm/dpkg) → action.
    actions: &'static [(&'static str, Action)],
    /// For managers whose action is an option (`pacman -S`, `rpm -i`, `dpkg -i`).
    option_actions: &'static [(&'static str, Action)],
    version: VersionSyntax,
}

#[derive(Clone, Copy)]
enum VersionSyntax {
    /// `name=1.2`, or with any of the manager's operators (apk `name~1.2`, zypper `name>=1`)
    Operators(&'static ByteSet),
    /// `name-1.2.3`, `name-1.2-3.el9`: a `-` after which every `-`-separated part starts with
    /// a digit (so `java-1.8.0-openjdk` is a name)
    RpmDash,
    /// `name==1.2`, `name>=1`, `name[extra]`
    Pep440,
    /// `name@1.2`, `@scope/name@1.2`
    At,
    /// `vendor/name:^1.0`
    Colon,
    None,
}

const APT: Manager = Manager {
    ecosystem: Ecosystem::Deb,
    value_options: &[
        "o",
        "c",
        "t",
        "option",
        "config-file",
        "target-release",
        "default-release",
    ],
    actions: &[
        ("install", Action::Install),
        ("reinstall", Action::Install),
        ("remove", Action::Remove),
        ("purge", Action::Remove),
        ("autoremove", Action::Remove),
        ("update", Action::Update),
        ("upgrade", Action::Upgrade),
        ("dist-upgrade", Action::Upgrade),
        ("full-upgrade", Action::Upgrade),
        ("clean", Action::Clean),
        ("autoclean", Action::Clean),
        ("distclean", Action::Clean),
    ],
    option_actions: &[],
    version: VersionSyntax::Operators(&ByteSet::new(b"=")),
};

const YUM: Manager = Manager {
    ecosystem: Ecosystem::Rpm,
    value_options: &[
        "x",
        "exclude",
        "c",
        "config",
        "setopt",
        "enablerepo",
        "disablerepo",
        "releasever",
        "installroot",
        "repo",
        "repoid",
        "d",
        "debuglevel",
        "e",
        "errorlevel",
        "downloaddir",
        "forcearch",
        "rpmverbosity",
    ],
    actions: &[
        ("install", Action::Install),
        ("localinstall", Action::Install),
        ("reinstall", Action::Install),
        ("groupinstall", Action::Install),
        ("in", Action::Install),
        ("remove", Action::Remove),
        ("erase", Action::Remove),
        ("autoremove", Action::Remove),
        ("groupremove", Action::Remove),
        ("update", Action::Upgrade),
        ("upgrade", Action::Upgrade),
        ("distro-sync", Action::Upgrade),
        ("clean", Action::Clean),
        ("makecache", Action::Update),
    ],
    option_actions: &[],
    version: VersionSyntax::RpmDash,
};

const APK: Manager = Manager {
    ecosystem: Ecosystem::Apk,
    value_options: &[
        "t",
        "virtual",
        "X",
        "repository",
        "p",
        "root",
        "arch",
        "keys-dir",
        "cache-dir",
        "repositories-file",
        "cache-max-age",
        "timeout",
    ],
    actions: &[
        ("add", Action::Install),
        ("del", Action::Remove),
        ("update", Action::Update),
        ("upgrade", Action::Upgrade),
        ("cache", Action::Clean),
        ("fix", Action::Other),
    ],
    option_actions: &[],
    version: VersionSyntax::Operators(&ByteSet::new(b"=~<>")),
};

const ZYPPER: Manager = Manager {
    ecosystem: Ecosystem::Rpm,
    value_options: &[
        "r",
        "repo",
        "from",
        "R",
        "root",
        "t",
        "type",
        "c",
        "config",
        "D",
        "reposd-dir",
        "C",
        "cache-dir",
        "raw-cache-dir",
        "solv-cache-dir",
        "pkg-cache-dir",
        "installroot",
    ],
    actions: &[
        ("in", Action::Install),
        ("install", Action::Install),
        ("rm", Action::Remove),
        ("remove", Action::Remove),
        ("up", Action::Upgrade),
        ("update", Action::Upgrade),
        ("dup", Action::Upgrade),
        ("dist-upgrade", Action::Upgrade),
        ("ref", Action::Update),
        ("refresh", Action::Update),
        ("clean", Action::Clean),
        ("cc", Action::Clean),
    ],
    option_actions: &[],
    version: VersionSyntax::Operators(&ByteSet::new(b"=<>")),
};

const PIP: Manager = Manager {
    ecosystem: Ecosystem::Pip,
    value_options: &[
        "r",
        "requirement",
        "c",
        "constraint",
        "i",
        "index-url",
        "extra-index-url",
        "f",
        "find-links",
        "t",
        "target",
        "prefix",
        "root",
        "e",
        "editable",
        "src",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "progress-bar",
        "trusted-host",
        "cache-dir",
        "log",
        "timeout",
        "retries",
        "proxy",
    ],
    actions: &[
        ("install", Action::Install),
        ("uninstall", Action::Remove),
        ("download", Action::Other),
        ("wheel", Action::Other),
    ],
    option_actions: &[],
    version: VersionSyntax::Pep440,
};

const NPM: Manager = Manager {
    ecosystem: Ecosystem::Npm,
    value_options: &[
        "prefix",
        "registry",
        "cache",
        "loglevel",
        "omit",
        "include",
        "tag",
        "w",
        "workspace",
    ],
    actions: &[
        ("install", Action::Install),
        ("i", Action::Install),
        ("add", Action::Install),
        ("ci", Action::Install),
        ("uninstall", Action::Remove),
        ("remove", Action::Remove),
        ("rm", Action::Remove),
        ("update", Action::Upgrade),
        ("upgrade", Action::Upgrade),
        ("cache", Action::Clean),
    ],
    option_actions: &[],
    version: VersionSyntax::At,
};

const GEM: Manager = Manager {
    ecosystem: Ecosystem::Gem,
    value_options: &[
        "v",
        "version",
        "source",
        "s",
        "i",
        "install-dir",
        "n",
        "bindir",
        "platform",
        "g",
        "file",
        "build-root",
        "document",
        "P",
        "trust-policy",
        "p",
        "http-proxy",
        "config-file",
    ],
    actions: &[
        ("install", Action::Install),
        ("uninstall", Action::Remove),
        ("update", Action::Upgrade),
        ("cleanup", Action::Clean),
    ],
    option_actions: &[],
    version: VersionSyntax::Colon,
};

const GO: Manager = Manager {
    ecosystem: Ecosystem::Go,
    value_options: &[
        "o",
        "C",
        "p",
        "tags",
        "ldflags",
        "gcflags",
        "asmflags",
        "gccgoflags",
        "mod",
        "modfile",
        "pkgdir",
        "buildmode",
        "compiler",
        "installsuffix",
        "overlay",
        "pgo",
        "toolexec",
        "exec",
        "covermode",
        "coverpkg",
        "buildvcs",
    ],
    actions: &[("install", Action::Install), ("get", Action::Install)],
    option_actions: &[],
    version: VersionSyntax::At,
};

const CARGO: Manager = Manager {
    ecosystem: Ecosystem::Cargo,
    value_options: &[
        "version", "vers", "git", "branch", "tag", "rev", "path", "root", "index", "registry",
        "features", "F", "j", "jobs", "target", "profile",
    ],
    actions: &[("install", Action::Install), ("uninstall", Action::Remove)],
    option_actions: &[],
    version: VersionSyntax::At,
};

const COMPOSER: Manager = Manager {
    ecosystem: Ecosystem::Composer,
    value_options: &["d", "working-dir"],
    actions: &[
        ("require", Action::Install),
        ("install", Action::Install),
        ("remove", Action::Remove),
        ("update", Action::Upgrade),
        ("clear-cache", Action::Clean),
        ("clearcache", Action::Clean),
    ],
    option_actions: &[],
    version: VersionSyntax::Colon,
};

const CONDA: Manager = Manager {
    ecosystem: Ecosystem::Conda,
    value_options: &["c", "channel", "n", "name", "p", "prefix", "file"],
    actions: &[
        ("install", Action::Install),
        ("create", Action::Install),
        ("remove", Action::Remove),
        ("uninstall", Action::Remove),
        ("update", Action::Upgrade),
        ("upgrade", Action::Upgrade),
        ("clean", Action::Clean),
    ],
    option_actions: &[],
    version: VersionSyntax::Operators(&ByteSet::new(b"=~<>")),
};

const PACMAN: Manager = Manager {
    ecosystem: Ecosystem::Pacman,
    value_options: &["r", "root", "b", "dbpath", "cachedir", "config", "arch"],
    actions: &[],
    option_actions: &[
        ("S", Action::Install),
        ("R", Action::Remove),
        ("U", Action::Install),
    ],
    version: VersionSyntax::None,
};

const DPKG: Manager = Manager {
    ecosystem: Ecosystem::Deb,
    value_options: &["root", "admindir", "instdir"],
    actions: &[],
    option_actions: &[
        ("i", Action::Install),
        ("install", Action::Install),
        ("r", Action::Remove),
        ("remove", Action::Remove),
        ("P", Action::Remove),
        ("purge", Action::Remove),
    ],
    version: VersionSyntax::None,
};

const RPM: Manager = Manager {
    ecosystem: Ecosystem::Rpm,
    value_options: &["root", "dbpath", "define", "D"],
    actions: &[],
    option_actions: &[
        ("i", Action::Install),
        ("install", Action::Install),
        ("U", Action::Install),
        ("upgrade", Action::Install),
        ("F", Action::Install),
        ("e", Action::Remove),
        ("erase", Action::Remove),
    ],
    version: VersionSyntax::None,
};

/// The manager a command runs, with the words after the manager's own name (`python -m pip
/// install x` → pip with `install x`).
fn manager_of(command: &Command) -> Option<(&'static Manager, &'static str, &[Word])> {
    let name = command_name(command);
    let args = &command.args;
    // Most commands run no package manager: the words are only gathered for those that do.
    let (manager, shown, skipped) = match name {
        "python" | "python3" | "python2" if is_python_m_pip(args) => (&PIP, "pip", 2),
        "uv" if args.first().and_then(|w| w.value()) == Some("pip") => (&PIP, "pip", 1),
        _ => {
            let (manager, shown) = manager_named(name)?;
            (manager, shown, 0)
        }
    };
    Some((manager, shown, &args[skipped..]))
}

/// The manager a program name runs, and the name the model records for it. Every command of
/// every RUN is looked up, and most run no package manager: the length picks the few names
/// to compare (one `match` over every name compares the lengths of all of them in turn, and
/// a name of another length is rejected by a jump).
fn manager_named(name: &str) -> Option<(&'static Manager, &'static str)> {
    Some(match name.len() {
        2 => match name {
            "go" => (&GO, "go"),
            _ => return None,
        },
        3 => match name {
            "apt" => (&APT, "apt"),
            "yum" => (&YUM, "yum"),
            "dnf" => (&YUM, "dnf"),
            "apk" => (&APK, "apk"),
            "rpm" => (&RPM, "rpm"),
            "pip" => (&PIP, "pip"),
            "npm" => (&NPM, "npm"),
            "gem" => (&GEM, "gem"),
            _ => return None,
        },
        4 => match name {
            "dnf5" => (&YUM, "dnf5"),
            "tdnf" => (&YUM, "tdnf"),
            "dpkg" => (&DPKG, "dpkg"),
            "pip3" | "pip2" => (&PIP, "pip"),
            "pipx" => (&PIP, "pipx"),
            "yarn" => (&NPM, "yarn"),
            "pnpm" => (&NPM, "pnpm"),
            _ => return None,
        },
        5 => match name {
            "cargo" => (&CARGO, "cargo"),
            "conda" => (&CONDA, "conda"),
            "mamba" => (&CONDA, "mamba"),
            _ => return None,
        },
        6 => match name {
            "zypper" => (&ZYPPER, "zypper"),
            "pacman" => (&PACMAN, "pacman"),
            _ => return None,
        },
        7 => match name {
            "apt-get" => (&APT, "apt-get"),
            _ => return None,
        },
        8 => match name {
            "aptitude" => (&APT, "aptitude"),
            "microdnf" => (&YUM, "microdnf"),
            "composer" => (&COMPOSER, "composer"),
            _ => return None,
        },
        10 => match name {
            "micromamba" => (&CONDA, "micromamba"),
            _ => return None,
        },
        13 => match name {
            "composer.phar" => (&COMPOSER, "composer"),
            _ => return None,
        },
        _ => return None,
    })
}

/// The options of a package manager's command line (by program name: `apt-get`, `apk`,
/// `dnf`, …) that take the next word as their value; none for a program that is no package
/// manager.
pub fn value_options(program: &str) -> &'static [&'static str] {
    manager_named(program).map_or(&[], |(manager, _)| manager.value_options)
}

/// Whether option word `word` of package manager `program` takes the next word as its value
/// (`-t stretch`, `--target-release stretch`, `-yo Foo=1`; not `-oFoo=1`, `--option=x`).
pub fn option_takes_next_word(program: &str, word: &str) -> bool {
    let value_options = value_options(program);
    match (word.strip_prefix("--"), word.strip_prefix('-')) {
        (Some(long), _) => value_options.contains(&long),
        (None, Some(cluster)) => cluster
            .char_indices()
            .find(|(_, letter)| {
                value_options
                    .iter()
                    .any(|option| option.chars().eq(std::iter::once(*letter)))
            })
            .is_some_and(|(at, letter)| at + letter.len_utf8() == cluster.len()),
        (None, None) => false,
    }
}

/// Whether a package operand of `program` (`apt-get`, `apk`, `yum`, `zypper`, `gem`, …) pins
/// a version the way that manager writes one (`curl=8.5.0-2`, `httpd-2.4.57`, `rails:7.1`).
pub fn pins_version(program: &str, operand: &str) -> bool {
    manager_named(program)
        .is_some_and(|(manager, _)| name_and_version(manager.version, operand).1.is_some())
}

/// The OS package ecosystem a manager (as [`Package::manager`] names it) installs from:
/// `None` for language package managers and piped installers.
pub fn os_ecosystem(manager: &str) -> Option<Ecosystem> {
    package_ecosystem(manager).filter(|ecosystem| is_os_ecosystem(*ecosystem))
}

/// The ecosystem, OS or language, a manager (as [`Package::manager`] names it) installs
/// from: `None` for piped installers.
pub fn package_ecosystem(manager: &str) -> Option<Ecosystem> {
    manager_named(manager).map(|(manager, _)| manager.ecosystem)
}

fn is_python_m_pip(args: &[Word]) -> bool {
    matches!(
        (
            args.first().and_then(|w| w.value()),
            args.get(1).and_then(|w| w.value())
        ),
        (Some("-m"), Some("pip" | "pip3"))
    )
}

/// Splits a manager's argument words into options and operands. Options are borrowed from
/// the words: only those of an invocation the model keeps are copied.
struct Split<'c> {
    options: Vec<(&'c str, Option<&'c str>)>,
    operands: Vec<&'c Word>,
}

/// Fills `split` (emptied first: one pair of lists serves every command of a RUN, not two
/// allocations for each manager command) with the options and operands of `words`.
fn split_arguments<'c>(manager: &Manager, words: &'c [Word], split: &mut Split<'c>) {
    split.options.clear();
    split.operands.clear();
    // Most words of an install are its operands: no regrowth.
    split.operands.reserve(words.len());
    let mut index = 0;
    let mut only_operands = false;
    while index < words.len() {
        let word = &words[index];
        index += 1;
        let text = word_str(word);
        // A byte test: the generic `starts_with(char)` is a call per word.
        if only_operands || text.as_bytes().first() != Some(&b'-') || text == "-" {
            split.operands.push(word);
            continue;
        }
        if text == "--" {
            only_operands = true;
            continue;
        }
        let first_new = split.options.len();
        let inline_value = match text.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((name, value)) => {
                    split.options.push((name, None));
                    Some(value)
                }
                None => {
                    split.options.push((long, None));
                    None
                }
            },
            // `-y`, `-qq`, `-ivh`, `-o Dpkg::...`, `-oAcquire=...`
            None => short_options(&text[1..], manager, &mut split.options),
        };
        let mut value = inline_value;
        if let Some((last, _)) = split.options[first_new..].last()
            && value.is_none()
            && manager.value_options.contains(last)
            && index < words.len()
        {
            value = Some(word_str(&words[index]));
            index += 1;
        }
        // The value belongs to the last option of the word.
        if let Some((_, last_value)) = split.options[first_new..].last_mut() {
            *last_value = value;
        }
    }
}

/// `-abc` → `a`, `b`, `c` (pushed to `names`); a value option stops the run (`-oFoo=1` → `o`,
/// returning the value `Foo=1`).
fn short_options<'c>(
    cluster: &'c str,
    manager: &Manager,
    names: &mut Vec<(&'c str, Option<&'c str>)>,
) -> Option<&'c str> {
    for (offset, c) in cluster.char_indices() {
        let end = offset + c.len_utf8();
        let name = &cluster[offset..end];
        names.push((name, None));
        let rest = &cluster[end..];
        if !rest.is_empty() && manager.value_options.contains(&name) {
            return Some(rest.trim_start_matches('='));
        }
    }
    None
}

/// `text` in lower case, borrowed when it already is (subcommands are ASCII lower case).
fn lowercase(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// Every ASCII letter and digit, for [`option_name`] to borrow one-letter option names from.
const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// An option name as [`Invocation::options`] keeps it: a letter (`-y`, `-q`: most options
/// are) is borrowed from a static string, another name copied.
fn option_name(name: &str) -> Cow<'static, str> {
    let at = match name.as_bytes() {
        [letter @ b'a'..=b'z'] => Some(letter - b'a'),
        [letter @ b'A'..=b'Z'] => Some(letter - b'A' + 26),
        [digit @ b'0'..=b'9'] => Some(digit - b'0' + 52),
        _ => None,
    };
    match at.map(usize::from) {
        Some(at) => Cow::Borrowed(&LETTERS[at..at + 1]),
        None => Cow::Owned(name.to_string()),
    }
}

/// The action and where the package operands start.
fn action_of(
    manager: &Manager,
    name: &str,
    split: &Split<'_>,
) -> (Action, Option<Cow<'static, str>>, usize) {
    if !manager.option_actions.is_empty() {
        return option_action(manager, split);
    }
    let Some(first) = split.operands.first().map(|word| word_str(word)) else {
        return (Action::Other, None, 0);
    };
    let lower = lowercase(first);
    // `yum group install x`, `dnf module install x`, `yarn global add x`, `composer global require x`
    if matches!(&*lower, "group" | "module" | "global") && split.operands.len() > 1 {
        let second = lowercase(word_str(split.operands[1]));
        if let Some((_, action)) = manager.actions.iter().find(|(sub, _)| *sub == second) {
            return (*action, Some(Cow::Owned(format!("{first} {second}"))), 2);
        }
    }
    let entry = manager.actions.iter().find(|(sub, _)| *sub == lower);
    let action = match entry {
        // `yum update` with no names upgrades everything; with names it installs or upgrades them.
        Some((_, Action::Upgrade))
            if name != "apt-get"
                && split.operands.len() > 1
                && manager.ecosystem == Ecosystem::Rpm =>
        {
            Action::Install
        }
        Some((_, action)) => *action,
        None => Action::Other,
    };
    // Written as the table names it (not in another case): the table's name is the text.
    let subcommand = match entry {
        Some((sub, _)) if *sub == first => Cow::Borrowed(*sub),
        _ => Cow::Owned(first.to_string()),
    };
    (action, Some(subcommand), 1)
}

/// pacman, rpm and dpkg select the action with an option; every operand is a package.
fn option_action(
    manager: &Manager,
    split: &Split<'_>,
) -> (Action, Option<Cow<'static, str>>, usize) {
    let selected = split.options.iter().find_map(|(name, _)| {
        manager
            .option_actions
            .iter()
            .find(|(option, _)| *option == *name)
            .map(|(option, action)| (*option, *action))
    });
    let Some((option, action)) = selected else {
        return (Action::Other, None, 0);
    };
    let has = |wanted: &str| split.options.iter().any(|(name, _)| *name == wanted);
    // `pacman -Sy` refreshes, `pacman -Syu` upgrades: no package operands.
    let action = match (manager.ecosystem, action, split.operands.is_empty()) {
        (Ecosystem::Pacman, Action::Install, true) if has("u") => Action::Upgrade,
        (Ecosystem::Pacman, Action::Install, true) => Action::Update,
        _ => action,
    };
    (action, Some(Cow::Owned(format!("-{option}"))), 0)
}

/// A package operand into name and version pin, borrowed from it.
fn name_and_version(syntax: VersionSyntax, text: &str) -> (&str, Option<&str>) {
    // A byte scan (the separators are ASCII): a `&[char]` pattern decodes and compares every
    // char, and every operand of every install is split.
    let split_at = |separators: &ByteSet| match separators.find_in(text) {
        Some(index) if index > 0 => (
            &text[..index],
            Some(text[index..].trim_start_matches(['=', '~'])),
        ),
        _ => (text, None),
    };
    match syntax {
        VersionSyntax::Operators(operators) => split_at(operators),
        VersionSyntax::Pep440 => {
            let (name, version) = split_at(&const { ByteSet::new(b"=<>~!;@ ") });
            let name = name.split('[').next().unwrap_or(name);
            (name, version.map(str::trim))
        }
        VersionSyntax::At => match text.rfind('@') {
            Some(index) if index > 0 => (&text[..index], Some(&text[index + 1..])),
            _ => (text, None),
        },
        VersionSyntax::Colon => match text.split_once(':') {
            Some((name, version)) => (name, Some(version)),
            None => (text, None),
        },
        VersionSyntax::RpmDash => {
            let version_start = text.match_indices('-').map(|(i, _)| i + 1).find(|&start| {
                start > 1
                    && text[start..]
                        .split('-')
                        .all(|part| part.starts_with(|c: char| c.is_ascii_digit()))
            });
            match version_start {
                Some(start) => (&text[..start - 1], Some(&text[start..])),
                None => (text, None),
            }
        }
        VersionSyntax::None => (text, None),
    }
}

/// Operands that name no package: the project itself (`.`, `./...`), local directories and
/// requirement paths. Package files and URLs (`x.deb`, `https://…/x.rpm`) are packages.
fn is_package_operand(text: &str) -> bool {
    // Most operands are plain names: the suffixes and `://` are only looked for in paths.
    let is_path = matches!(text.as_bytes().first(), Some(b'.' | b'/' | b'~'));
    let is_package_file = || {
        [
            ".deb", ".rpm", ".whl", ".tar.gz", ".apk", ".gem", ".tgz", ".zip",
        ]
        .iter()
        .any(|suffix| text.ends_with(suffix))
    };
    let is_url = || text.contains("://");
    !text.is_empty() && (!is_path || is_package_file() || is_url())
}

/// Every package-manager invocation of one RUN's commands, with their packages.
pub fn extract(
    commands: &[Command],
    catalog: &Catalog,
    source: &str,
    index: &LineIndex,
) -> Extracted {
    let mut extracted = Extracted::default();
    let mut positions = Positions::new(source, index);
    let mut virtual_groups: Vec<(&str, Vec<usize>)> = Vec::new();
    // (invocation, operand) of every removal, packages or apk virtual groups.
    let mut removals: Vec<(usize, &str)> = Vec::new();
    let mut split = Split {
        options: Vec::new(),
        operands: Vec::new(),
    };
    for (command_index, command) in commands.iter().enumerate() {
        if let Some(installer) = piped_installer(commands, command_index) {
            let position = positions.at(installer.span.start);
            extracted.invocations.push(Invocation {
                manager: "curl|sh",
                ecosystem: None,
                action: Action::Install,
                subcommand: None,
                options: Vec::new(),
                command: command_index,
                line: position.line,
                column: position.column,
                span: installer.span,
            });
            continue;
        }
        let Some((manager, name, words)) = manager_of(command) else {
            continue;
        };
        split_arguments(manager, words, &mut split);
        let (action, subcommand, first_package) = action_of(manager, name, &split);
        // `go build`, `npm run test`, `cargo build`: the tool, not its package manager.
        if action == Action::Other && !is_os_ecosystem(manager.ecosystem) {
            continue;
        }
        let position = positions.at(command.span.start);
        let invocation_index = extracted.invocations.len();
        extracted.invocations.push(Invocation {
            manager: name,
            ecosystem: Some(manager.ecosystem),
            action,
            subcommand,
            options: split
                .options
                .iter()
                .map(|(name, _)| option_name(name))
                .collect(),
            command: command_index,
            line: position.line,
            column: position.column,
            span: command.span,
        });
        if !matches!(action, Action::Install | Action::Remove | Action::Upgrade) {
            continue;
        }
        let operands = &split.operands[first_package.min(split.operands.len())..];
        if action == Action::Remove {
            removals.extend(
                operands
                    .iter()
                    .filter_map(|word| word.value())
                    .map(|name| (invocation_index, name)),
            );
        }
        let first_new = extracted.packages.len();
        extracted.packages.reserve(operands.len());
        for word in operands {
            let Some(text) = word.value() else {
                continue;
            };
            if !is_package_operand(text) {
                continue;
            }
            let (name_only, version) = name_and_version(manager.version, text);
            let info = catalog.package_layer_tags(manager.ecosystem, name_only);
            let position = positions.at(word.span.start);
            extracted.packages.push(Package {
                manager: name,
                action,
                layer: info.map_or_else(|| default_layer(manager.ecosystem), |(layer, ..)| layer),
                tags: match info {
                    Some((_, tags, _)) => Arc::clone(tags),
                    None => Arc::clone(catalog.unknown_package_tags()),
                },
                // Language ecosystems end in a catch-all `*` entry: that is no knowledge of the package.
                known: info.is_some_and(|(.., pattern)| pattern != "*"),
                name: name_only.to_string(),
                version: version.map(str::to_string),
                removed_later: false,
                invocation: invocation_index,
                line: position.line,
                column: position.column,
                span: word.span,
            });
        }
        if manager.ecosystem == Ecosystem::Apk && action == Action::Install {
            let group = split
                .options
                .iter()
                .find(|(name, _)| *name == "t" || *name == "virtual");
            if let Some((_, Some(group))) = group {
                virtual_groups.push((group, (first_new..extracted.packages.len()).collect()));
            }
        }
    }
    mark_removed(&mut extracted, &removals, &virtual_groups);
    extracted
}

/// How far [`Positions::at`] counts on from the last offset (farther, it asks the index).
const COUNT_ON_LIMIT: usize = 64;

/// Line and column of offsets met mostly in increasing order (a command, then its words):
/// each is counted on from the one before, not searched and counted from its line's start.
struct Positions<'s> {
    source: &'s str,
    index: &'s LineIndex,
    /// Every byte of the source is a character: a column advance is a byte count.
    ascii: bool,
    last: Option<(usize, Position)>,
}

impl<'s> Positions<'s> {
    fn new(source: &'s str, index: &'s LineIndex) -> Self {
        Positions {
            source,
            index,
            ascii: index.is_ascii_source(source),
            last: None,
        }
    }

    /// What [`LineIndex::position`] says of `offset`.
    fn at(&mut self, offset: usize) -> Position {
        let exact = offset <= self.source.len() && self.source.is_char_boundary(offset);
        let position = match self.last {
            // A long way on, the line index's search is cheaper than counting every byte.
            Some((last, from)) if exact && last <= offset && offset - last <= COUNT_ON_LIMIT => {
                let between = &self.source.as_bytes()[last..offset];
                // Only `\n` ends a line (see `LineIndex`); the characters after the last one
                // are the column's advance, their bytes in an ASCII source.
                let chars = |bytes: &[u8]| match self.ascii {
                    true => bytes.len(),
                    false => bytes.iter().filter(|&&byte| is_char_start(byte)).count(),
                };
                match newlines(between) {
                    (_, None) => Position {
                        line: from.line,
                        column: from.column + chars(between),
                    },
                    (count, Some(last)) => Position {
                        line: from.line + count,
                        column: chars(&between[last + 1..]) + 1,
                    },
                }
            }
            _ => self.index.position(self.source, offset),
        };
        if exact {
            self.last = Some((offset, position));
        }
        position
    }
}

/// How many `\n` bytes `bytes` holds, and where the last one is: eight bytes at a time (the
/// gap between a word and the one before it, counted for every package; a vector search
/// costs more to set up than this runs on it, a byte loop more than this).
fn newlines(bytes: &[u8]) -> (usize, Option<usize>) {
    let mut count = 0;
    let mut last = None;
    let mut chunks = bytes.chunks_exact(8);
    for (chunk_index, chunk) in chunks.by_ref().enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let marks = byte_scan::bytes_equal(word, b'\n');
        if marks != 0 {
            count += marks.count_ones() as usize;
            // The highest mark is the last newline (byte `i` is bits `8 * i..8 * i + 8`).
            last = Some(chunk_index * 8 + (63 - marks.leading_zeros() as usize) / 8);
        }
    }
    let tail_start = bytes.len() - chunks.remainder().len();
    for (at, &byte) in chunks.remainder().iter().enumerate() {
        if byte == b'\n' {
            count += 1;
            last = Some(tail_start + at);
        }
    }
    (count, last)
}

/// Whether `byte` starts a UTF-8 character (is no continuation byte).
fn is_char_start(byte: u8) -> bool {
    byte & 0b1100_0000 != 0b1000_0000
}

/// Packages a later removal in the same RUN takes away again (by name, or by apk virtual group).
fn mark_removed(
    extracted: &mut Extracted,
    removals: &[(usize, &str)],
    virtual_groups: &[(&str, Vec<usize>)],
) {
    for &(removal_invocation, operand) in removals {
        let manager = extracted.invocations[removal_invocation].manager;
        let in_group = |index: usize| {
            virtual_groups
                .iter()
                .any(|(group, members)| *group == operand && members.contains(&index))
        };
        for (index, package) in extracted.packages.iter_mut().enumerate() {
            let named = package.name == operand || in_group(index);
            if named
                && package.action == Action::Install
                && package.invocation < removal_invocation
                && same_family(package.manager, manager)
            {
                package.removed_later = true;
            }
        }
    }
}

fn same_family(a: &str, b: &str) -> bool {
    fn family(name: &str) -> &str {
        match name {
            "apt-get" | "apt" | "aptitude" => "apt",
            "yum" | "dnf" | "microdnf" | "dnf5" | "tdnf" => "rpm",
            other => other,
        }
    }
    family(a) == family(b)
}

/// Whether packages of `ecosystem` come from the OS distribution (deb, rpm, apk, pacman).
pub fn is_os_ecosystem(ecosystem: Ecosystem) -> bool {
    matches!(
        ecosystem,
        Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk | Ecosystem::Pacman
    )
}

/// OS packages default to the runtime layer (libraries a server or runtime needs); language
/// packages to the app layer.
fn default_layer(ecosystem: Ecosystem) -> Layer {
    if is_os_ecosystem(ecosystem) {
        Layer::Runtime
    } else {
        Layer::App
    }
}

/// `curl … | sh` or `wget -O- … | bash`: a download piped straight into a shell.
fn piped_installer(commands: &[Command], index: usize) -> Option<&Command> {
    let command = &commands[index];
    let next = commands.get(index + 1)?;
    // Most commands are in no pipeline: the names are only looked at for those that are.
    let is_piped = command.context.in_pipeline && next.context.in_pipeline;
    (is_piped
        && matches!(command_name(command), "curl" | "wget")
        && matches!(
            command_name(next),
            "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh"
        ))
    .then_some(next)
}

/// The index (in the RUN's commands) of an `apt-mark auto …` that a later
/// `apt-get purge --auto-remove` / `apt-get autoremove` acts on: the docker-library idiom
/// that removes every package installed before it, except those marked manual again.
fn apt_mark_auto(instruction: &super::InstructionModel) -> Option<(usize, Vec<&str>)> {
    let autoremoves = |invocation: &Invocation| {
        invocation.action == Action::Remove
            && (invocation.subcommand.as_deref() == Some("autoremove")
                || invocation.has_option(&["auto-remove", "autoremove"]))
    };
    // The idiom needs an autoremove: look at the few invocations before every command.
    if !instruction.invocations.iter().any(autoremoves) {
        return None;
    }
    let is_apt_mark = |command: &crate::shell::Command| command.program() == Some("apt-mark");
    fn static_args(command: &Command) -> impl Iterator<Item = &str> {
        command.args.iter().filter_map(|arg| arg.value())
    }
    let mark = instruction.script.iter().position(|command| {
        is_apt_mark(command)
            && static_args(command)
                .find(|arg| !arg.starts_with('-'))
                .is_some_and(|arg| arg == "auto")
    })?;
    let purged = instruction
        .invocations
        .iter()
        .any(|invocation| invocation.command > mark && autoremoves(invocation));
    if !purged {
        return None;
    }
    let manual = instruction.script[mark..]
        .iter()
        .filter(|command| is_apt_mark(command))
        .filter(|command| static_args(command).next() == Some("manual"))
        .flat_map(|command| static_args(command).skip(1))
        .collect();
    Some((mark, manual))
}

/// The packages a RUN installs and leaves installed, as indices in its `packages`: not removed
/// later in the same RUN (by name, apk virtual group, or the `apt-mark auto` +
/// `apt-get purge --auto-remove` idiom). Found once by the builder: many rules ask.
pub(crate) fn kept_indices(instruction: &super::InstructionModel) -> Kept {
    let installed = |package: &Package| package.action == Action::Install && !package.removed_later;
    // Most RUNs install nothing: no need to look for the idiom.
    if !instruction.packages.iter().any(installed) {
        return Kept::default();
    }
    let auto = apt_mark_auto(instruction);
    let indices = instruction
        .packages
        .iter()
        .enumerate()
        .filter(|(_, package)| installed(package))
        .filter(|(_, package)| match &auto {
            Some((mark, manual)) => {
                instruction.invocations[package.invocation].command > *mark
                    || manual.contains(&package.name.as_str())
            }
            None => true,
        })
        .map(|(index, _)| index);
    Kept::from_indices(indices)
}

/// A set of package indices, in increasing order: a bit for each when all are below 64 (a
/// RUN installs fewer packages than that: no list is allocated), else a list.
#[derive(Clone, Debug)]
pub(crate) enum Kept {
    Bits(u64),
    List(Vec<usize>),
}

impl Default for Kept {
    fn default() -> Self {
        Kept::Bits(0)
    }
}

impl Kept {
    fn from_indices(indices: impl Iterator<Item = usize> + Clone) -> Kept {
        if indices.clone().all(|index| index < u64::BITS as usize) {
            Kept::Bits(indices.fold(0, |bits, index| bits | 1 << index))
        } else {
            Kept::List(indices.collect())
        }
    }

    pub(crate) fn iter(&self) -> KeptIter<'_> {
        match self {
            Kept::Bits(bits) => KeptIter::Bits(*bits),
            Kept::List(indices) => KeptIter::List(indices.iter()),
        }
    }
}

/// The indices of a [`Kept`], in increasing order.
#[derive(Clone)]
pub(crate) enum KeptIter<'k> {
    Bits(u64),
    List(std::slice::Iter<'k, usize>),
}

impl Iterator for KeptIter<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self {
            KeptIter::Bits(0) => None,
            KeptIter::Bits(bits) => {
                let index = bits.trailing_zeros() as usize;
                *bits &= *bits - 1;
                Some(index)
            }
            KeptIter::List(indices) => indices.next().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_indices_read_back_in_order_as_bits_or_a_list() {
        for indices in [
            vec![],
            vec![0],
            vec![1, 5, 63],
            vec![0, 2, 64],
            vec![70, 100],
        ] {
            let kept = Kept::from_indices(indices.iter().copied());
            assert_eq!(
                matches!(kept, Kept::Bits(_)),
                indices.iter().all(|&i| i < 64)
            );
            assert_eq!(kept.iter().collect::<Vec<_>>(), indices);
        }
    }

    #[test]
    fn option_names_are_kept_as_written() {
        for name in ["y", "Q", "0", "9", "z", "é", "-", "no-cache", "yq", ""] {
            let kept = option_name(name);
            assert_eq!(kept, name);
            let letter = name.len() == 1 && name.as_bytes()[0].is_ascii_alphanumeric();
            assert_eq!(matches!(kept, Cow::Borrowed(_)), letter, "{name}");
        }
    }

    #[test]
    fn every_manager_name_is_found_under_its_length() {
        let names = [
            ("apt-get", "apt-get", Ecosystem::Deb),
            ("apt", "apt", Ecosystem::Deb),
            ("aptitude", "aptitude", Ecosystem::Deb),
            ("yum", "yum", Ecosystem::Rpm),
            ("dnf", "dnf", Ecosystem::Rpm),
            ("microdnf", "microdnf", Ecosystem::Rpm),
            ("dnf5", "dnf5", Ecosystem::Rpm),
            ("tdnf", "tdnf", Ecosystem::Rpm),
            ("apk", "apk", Ecosystem::Apk),
            ("zypper", "zypper", Ecosystem::Rpm),
            ("pacman", "pacman", Ecosystem::Pacman),
            ("dpkg", "dpkg", Ecosystem::Deb),
            ("rpm", "rpm", Ecosystem::Rpm),
            ("pip", "pip", Ecosystem::Pip),
            ("pip3", "pip", Ecosystem::Pip),
            ("pip2", "pip", Ecosystem::Pip),
            ("pipx", "pipx", Ecosystem::Pip),
            ("npm", "npm", Ecosystem::Npm),
            ("yarn", "yarn", Ecosystem::Npm),
            ("pnpm", "pnpm", Ecosystem::Npm),
            ("gem", "gem", Ecosystem::Gem),
            ("go", "go", Ecosystem::Go),
            ("cargo", "cargo", Ecosystem::Cargo),
            ("composer", "composer", Ecosystem::Composer),
            ("composer.phar", "composer", Ecosystem::Composer),
            ("conda", "conda", Ecosystem::Conda),
            ("mamba", "mamba", Ecosystem::Conda),
            ("micromamba", "micromamba", Ecosystem::Conda),
        ];
        for (name, shown, ecosystem) in names {
            let (manager, found) = manager_named(name).expect(name);
            assert_eq!((found, manager.ecosystem), (shown, ecosystem), "{name}");
        }
        for other in [
            "",
            "g",
            "echo",
            "apt-gets",
            "Apt-get",
            "pip4",
            "composer.pha",
        ] {
            assert!(manager_named(other).is_none(), "{other}");
        }
    }

    #[test]
    fn version_pins_per_syntax() {
        assert_eq!(
            name_and_version(
                VersionSyntax::Operators(&const { ByteSet::new(b"=") }),
                "nginx=1.24*"
            ),
            ("nginx", Some("1.24*"))
        );
        assert_eq!(
            name_and_version(
                VersionSyntax::Operators(&const { ByteSet::new(b"=~") }),
                "curl~8"
            ),
            ("curl", Some("8"))
        );
        assert_eq!(
            name_and_version(VersionSyntax::Pep440, "flask[async]==3.0"),
            ("flask", Some("3.0"))
        );
        assert_eq!(
            name_and_version(VersionSyntax::At, "@scope/pkg@1.2"),
            ("@scope/pkg", Some("1.2"))
        );
        assert_eq!(
            name_and_version(VersionSyntax::At, "@scope/pkg"),
            ("@scope/pkg", None)
        );
        assert_eq!(
            name_and_version(VersionSyntax::RpmDash, "httpd-2.4.6"),
            ("httpd", Some("2.4.6"))
        );
        assert_eq!(
            name_and_version(VersionSyntax::RpmDash, "httpd-2.4.57-1.el9"),
            ("httpd", Some("2.4.57-1.el9"))
        );
        assert_eq!(
            name_and_version(VersionSyntax::RpmDash, "java-1.8.0-openjdk"),
            ("java-1.8.0-openjdk", None)
        );
        assert_eq!(
            name_and_version(VersionSyntax::Colon, "vendor/pkg:^1.0"),
            ("vendor/pkg", Some("^1.0"))
        );
    }

    #[test]
    fn short_option_clusters_split() {
        let mut names = Vec::new();
        assert_eq!(short_options("qq", &APT, &mut names), None);
        assert_eq!(names, vec![("q", None), ("q", None)]);
        names.clear();
        assert_eq!(
            short_options("oDpkg::Use-Pty=0", &APT, &mut names),
            Some("Dpkg::Use-Pty=0")
        );
        assert_eq!(names, vec![("o", None)]);
    }

    #[test]
    fn newlines_are_counted_and_the_last_found_in_words_and_the_tail() {
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 30, 64] {
            for period in [3, 5, 8, 100] {
                let text: Vec<u8> = (0..len)
                    .map(|i| if i % period == 2 { b'\n' } else { b'x' })
                    .collect();
                let count = text.iter().filter(|&&byte| byte == b'\n').count();
                let last = text.iter().rposition(|&byte| byte == b'\n');
                assert_eq!(newlines(&text), (count, last), "{len} {period}");
            }
        }
    }

    #[test]
    fn positions_counted_on_are_the_line_index_positions() {
        // The last one has gaps longer than `COUNT_ON_LIMIT`, on one line and across lines.
        let long = format!("{}\n{}x\n", "é a ".repeat(30), "b".repeat(100));
        let long_ascii = format!("{}\n{}x\n", "a b ".repeat(30), "b".repeat(100));
        let short = [
            "",
            "a b\nc d\r\n\n  é x\\\n  y\n",
            "\u{feff}x\n\ny",
            "ab\n",
            "a\nb c\n\nd",
        ];
        for source in short
            .into_iter()
            .chain([long.as_str(), long_ascii.as_str()])
        {
            let index = LineIndex::new(source);
            let offsets: Vec<usize> = (0..=source.len() + 1).collect();
            // In order, backwards, and skipping about.
            let orders = [
                offsets.clone(),
                offsets.iter().rev().copied().collect(),
                offsets.iter().map(|o| o * 7 % (source.len() + 2)).collect(),
            ];
            for order in orders {
                let mut positions = Positions::new(source, &index);
                for offset in order {
                    assert_eq!(
                        positions.at(offset),
                        index.position(source, offset),
                        "{source:?} at {offset}"
                    );
                }
            }
        }
    }
}
