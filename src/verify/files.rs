//! Files of the original against production: every path of the original is in production
//! with the same type, mode, owner and content, unless a package that left production owns it
//! or its maintainer scripts made it, or dpkg's path filters of production exclude it (a slim
//! base); rules/verify.toml lists the build records whose content is not compared.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};

use super::Difference;
use super::snapshot::{Entry, Kind, Snapshot};

const KNOWLEDGE: &str = include_str!("../../rules/verify.toml");

#[derive(serde::Deserialize)]
struct Knowledge {
    ignored: Vec<String>,
    volatile: Vec<String>,
    package_run_records: Vec<String>,
}

struct PathSets {
    ignored: GlobSet,
    volatile: GlobSet,
    package_run_records: GlobSet,
}

fn path_sets() -> &'static PathSets {
    static SETS: OnceLock<PathSets> = OnceLock::new();
    SETS.get_or_init(|| {
        let knowledge: Knowledge =
            toml::from_str(KNOWLEDGE).expect("rules/verify.toml is checked by a test");
        PathSets {
            ignored: glob_set(&knowledge.ignored),
            volatile: glob_set(&knowledge.volatile),
            package_run_records: glob_set(&knowledge.package_run_records),
        }
    })
}

fn glob_set(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// What explains a path that production lacks.
pub struct Excuses<'a> {
    /// Paths listed by the dpkg file lists of packages that left production.
    owned_by_gone: BTreeSet<String>,
    /// Maintainer scripts of those packages.
    scripts: Vec<&'a str>,
    /// The names of the OS packages and Python distributions that left production, as a
    /// per-user configuration directory would be named after them (`ipython`: `~/.ipython`).
    tools_gone: BTreeSet<String>,
    gone: BTreeSet<String>,
    /// Production's dpkg path filters: (include?, pattern), in order.
    filters: Vec<(bool, GlobMatcher)>,
    /// The original's top-level symlinks of a merged `/usr` (`lib` → `usr/lib`): a script
    /// naming `/lib/cpp` names the exported `usr/lib/cpp`.
    merged_tops: Vec<(String, String)>,
}

impl<'a> Excuses<'a> {
    pub fn new(original: &'a Snapshot, production: &Snapshot, gone: &BTreeSet<String>) -> Self {
        let mut owned_by_gone = BTreeSet::new();
        let mut made_by_gone = Vec::new();
        let mut scripts = Vec::new();
        for (file, text) in original.texts_under("var/lib/dpkg/info") {
            let Some((package, suffix)) = file.rsplit_once('.') else {
                continue;
            };
            let package = package.split(':').next().unwrap_or(package);
            if !gone.contains(package) {
                continue;
            }
            if suffix == "list" {
                owned_by_gone.extend(text.lines().map(|line| merged_usr(original, line)));
            } else {
                scripts.push(text);
            }
        }
        // What systemd-tmpfiles makes from a gone package's tmpfiles.d files when its
        // maintainer scripts run it (`d /run/user 0755 root root -`).
        for directory in ["usr/lib/tmpfiles.d", "lib/tmpfiles.d"] {
            for (file, text) in original.texts_under(directory) {
                if !owned_by_gone.contains(&format!("usr/lib/tmpfiles.d/{file}")) {
                    continue;
                }
                let made = text
                    .lines()
                    .filter(|line| !line.trim_start().starts_with('#'))
                    .filter_map(|line| line.split_whitespace().nth(1))
                    .filter(|path| path.starts_with('/') && !path.contains('%'))
                    .map(super::snapshot::normalize)
                    .collect::<Vec<_>>();
                made_by_gone.extend(made);
            }
        }
        owned_by_gone.extend(made_by_gone);
        let python_gone = python_files_gone(original, production);
        let mut tools_gone: BTreeSet<String> = gone.clone();
        tools_gone.extend(
            python_gone
                .iter()
                .filter_map(|path| distribution_name(path)),
        );
        owned_by_gone.extend(python_gone);
        Excuses {
            owned_by_gone,
            scripts,
            tools_gone,
            gone: gone.clone(),
            filters: dpkg_filters(production),
            merged_tops: merged_tops(original),
        }
    }

    fn explains(&self, path: &str, production: &Snapshot) -> bool {
        if self.owned_by_gone.contains(path)
            || self.excluded_by_dpkg(path)
            || self.is_record_of_gone(path)
            || self.is_run_record_of_packages_gone(path)
            || self.in_configuration_of_gone(path)
        {
            return true;
        }
        // A System V start link of a gone package's init script (`etc/rc2.d/S01ssh`).
        if let Some(script) = rc_link_script(path) {
            if self.owned_by_gone.contains(&format!("etc/init.d/{script}")) {
                return true;
            }
        }
        if self.registered_by_gone(path) {
            return true;
        }
        // Under a directory a gone package owned and production lacks.
        let mut ancestor = path;
        while let Some((parent, _)) = ancestor.rsplit_once('/') {
            if self.owned_by_gone.contains(parent) && !production.entries.contains_key(parent) {
                return true;
            }
            ancestor = parent;
        }
        self.named_by_gone_scripts(path)
    }

    /// An alternative or a unit link a gone package's maintainer scripts register by name
    /// (`update-alternatives --install /usr/bin/pager pager ...`): it is missing in production,
    /// or points elsewhere because another package registered the same name.
    fn registered_by_gone(&self, path: &str) -> bool {
        let managed = [
            "var/lib/dpkg/alternatives/",
            "etc/alternatives/",
            "etc/systemd/system/",
        ];
        if !managed.iter().any(|prefix| path.starts_with(prefix)) {
            return false;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let stem = name.split(['.', '@']).next().unwrap_or(name);
        self.explains_name(name) || self.explains_name(stem)
    }

    /// A content difference a gone package's maintainer scripts explain.
    pub fn explains_content(&self, path: &str) -> bool {
        self.named_by_gone_scripts(path) || self.registered_by_gone(path)
    }

    /// A gone package's maintainer scripts name the path or its directory (two levels deep at
    /// least: `/etc/ssh`, not `/etc`): they made it, or edited it (`/etc/nsswitch.conf`).
    fn named_by_gone_scripts(&self, path: &str) -> bool {
        let aliases = self.merged_tops.iter().filter_map(|(top, target)| {
            path.strip_prefix(target.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|rest| format!("{top}/{rest}"))
        });
        std::iter::once(path.to_string())
            .chain(aliases)
            .any(|path| self.scripts_name(&path))
    }

    fn scripts_name(&self, path: &str) -> bool {
        let absolute = format!("/{path}");
        let directory = absolute.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let named = |script: &&str| {
            script.contains(&absolute)
                || (directory.matches('/').count() >= 2 && script.contains(directory))
        };
        self.scripts.iter().any(named)
    }

    /// What a package manager's run records (`var/lib/apt/extended_states`, apt's logs): when
    /// packages left production, it may run the package manager less, or not at all.
    fn is_run_record_of_packages_gone(&self, path: &str) -> bool {
        !self.gone.is_empty() && path_sets().package_run_records.is_match(path)
    }

    /// A user's configuration of a tool that left production: the dot-directory or dot-file
    /// of a home directory named after it (`root/.ipython/…`, `home/dev/.vimrc`,
    /// `root/.gitconfig`).
    fn in_configuration_of_gone(&self, path: &str) -> bool {
        let in_home = path.strip_prefix("root/").or_else(|| {
            path.strip_prefix("home/")?
                .split_once('/')
                .map(|(_, rest)| rest)
        });
        let Some(name) = in_home.and_then(|rest| rest.split('/').next()?.strip_prefix('.')) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        // `~/.ipython`, `~/.vimrc`, `~/.gitconfig`
        self.tools_gone.contains(&name)
            || ["rc", "config"].iter().any(|suffix| {
                name.strip_suffix(suffix)
                    .is_some_and(|tool| self.tools_gone.contains(tool))
            })
    }

    /// dpkg's own records of a package that left (`var/lib/dpkg/info/vim.md5sums`).
    fn is_record_of_gone(&self, path: &str) -> bool {
        path.strip_prefix("var/lib/dpkg/info/")
            .and_then(|file| file.rsplit_once('.'))
            .is_some_and(|(package, _)| {
                self.gone
                    .contains(package.split(':').next().unwrap_or(package))
            })
    }

    fn excluded_by_dpkg(&self, path: &str) -> bool {
        let absolute = format!("/{path}");
        let mut excluded = false;
        for (include, glob) in &self.filters {
            if glob.is_match(&absolute) {
                excluded = !include;
            }
        }
        excluded
    }

    /// A path a package that left production listed (`etc/init.d/ssh`).
    pub fn owned_by_gone(&self, path: &str) -> bool {
        self.owned_by_gone.contains(path)
    }

    /// A symlink of the original whose target production's dpkg filters exclude: an
    /// alternative's man-page slave (`/etc/alternatives/mailx.1.gz` → `/usr/share/man/...`),
    /// which update-alternatives does not make when the target file was never unpacked.
    pub fn points_into_excluded(&self, path: &str, entry: &Entry) -> bool {
        if entry.kind != Kind::Symlink || entry.content.is_empty() {
            return false;
        }
        let target = if entry.content.starts_with('/') {
            super::snapshot::normalize(&entry.content)
        } else {
            let directory = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            resolve_relative(directory, &entry.content)
        };
        self.excluded_by_dpkg(&target)
    }

    /// A user or group name a gone package's maintainer scripts make.
    pub fn explains_name(&self, name: &str) -> bool {
        self.scripts.iter().any(|script| {
            script
                .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .any(|word| word == name)
        })
    }
}

/// The files of Python distributions that left production (pip moves development tools
/// such as `pytest` to dev): each `*.dist-info/RECORD` of the original whose directory
/// production lacks lists them relative to the directory it sits in (`pytest/__init__.py`,
/// `../../../bin/pytest`), with the directories they make there.
fn python_files_gone(original: &Snapshot, production: &Snapshot) -> BTreeSet<String> {
    let mut gone = BTreeSet::new();
    for (path, text) in &original.texts {
        let Some(distribution) = path.strip_suffix("/RECORD") else {
            continue;
        };
        if !distribution.ends_with(".dist-info") || production.entries.contains_key(distribution) {
            continue;
        }
        let packages = distribution.rsplit_once('/').map_or("", |(d, _)| d);
        gone.insert(distribution.to_string());
        for line in text.lines() {
            let listed = match line.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next().unwrap_or(""),
                None => line.split(',').next().unwrap_or(""),
            };
            if listed.is_empty() {
                continue;
            }
            let file = resolve_relative(packages, listed);
            // The directories it made that production lacks (`pytest/`, `_pytest/`,
            // `share/man/man1` of a script's manual page).
            let mut directory = file.as_str();
            while let Some((parent, _)) = directory.rsplit_once('/') {
                if production.entries.contains_key(parent) {
                    break;
                }
                gone.insert(parent.to_string());
                directory = parent;
            }
            gone.insert(file);
        }
    }
    gone
}

/// `…/site-packages/IPython_Extra-8.18.1.dist-info` → `ipython-extra`.
fn distribution_name(path: &str) -> Option<String> {
    let directory = path.strip_suffix(".dist-info")?;
    let name = directory.rsplit('/').next()?.split('-').next()?;
    Some(name.to_ascii_lowercase().replace('_', "-"))
}

/// The top-level directories that are symlinks into `/usr` (`lib` → `usr/lib`).
fn merged_tops(snapshot: &Snapshot) -> Vec<(String, String)> {
    ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]
        .iter()
        .filter_map(|top| {
            let entry = snapshot.entries.get(*top)?;
            (entry.kind == Kind::Symlink)
                .then(|| (top.to_string(), super::snapshot::normalize(&entry.content)))
        })
        .collect()
}

/// A dpkg list's path as the export names it: packages list `/lib/...`, which a merged-`/usr`
/// image stores under `usr/lib/...` (the top-level directory is a symlink).
fn merged_usr(snapshot: &Snapshot, listed: &str) -> String {
    let path = super::snapshot::normalize(listed);
    let (top, rest) = path.split_once('/').unwrap_or((path.as_str(), ""));
    match snapshot.entries.get(top) {
        Some(entry) if entry.kind == Kind::Symlink && !rest.is_empty() => {
            format!("{}/{rest}", super::snapshot::normalize(&entry.content))
        }
        _ => path,
    }
}

/// supervisord's configuration files (read whole).
pub fn is_supervisor_config(path: &str) -> bool {
    (path.starts_with("etc/supervisor/") || path.starts_with("etc/supervisord"))
        && (path.ends_with(".conf") || path.ends_with(".ini"))
}

/// A supervisord configuration production writes without the `[program:…]` sections whose
/// command is a program of a package that left production (sshd's), every other line equal.
pub fn drops_only_gone_programs(
    original: &Snapshot,
    production: &Snapshot,
    path: &str,
    excuses: &Excuses,
) -> bool {
    if !is_supervisor_config(path) {
        return false;
    }
    let (Some(was), Some(now)) = (original.text(path), production.text(path)) else {
        return false;
    };
    let sections = |text: &str| -> Vec<String> {
        let mut sections: Vec<String> = Vec::new();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            if line.trim_start().starts_with('[') || sections.is_empty() {
                sections.push(String::new());
            }
            if let Some(section) = sections.last_mut() {
                section.push_str(line.trim());
                section.push('\n');
            }
        }
        sections
    };
    let runs_gone_program = |section: &str| {
        section.starts_with("[program:")
            && section
                .lines()
                .filter_map(|line| line.strip_prefix("command"))
                .filter_map(|rest| rest.trim_start().strip_prefix('='))
                .filter_map(|command| command.split_whitespace().next())
                .any(|program| program_left(program, excuses))
    };
    let original_sections = sections(was);
    let kept: Vec<&String> = original_sections
        .iter()
        .filter(|section| !runs_gone_program(section))
        .collect();
    kept.len() < original_sections.len() && kept == sections(now).iter().collect::<Vec<_>>()
}

/// Where production's supervisord configuration leaves programs out, the dev target's must be
/// the original's: dev runs what the original ran.
pub fn dev_keeps_rewritten_configs(
    original: &Snapshot,
    production: &Snapshot,
    dev: &Snapshot,
    excuses: &Excuses,
) -> Vec<Difference> {
    let mut paths: Vec<&String> = original
        .texts
        .keys()
        .filter(|path| drops_only_gone_programs(original, production, path, excuses))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|path| dev.text(path) != original.text(path))
        .map(|path| {
            let shown = format!("/{path}");
            Difference::new(
                "dev-file-content",
                &shown,
                format!("{shown}: production leaves out programs that left it, and the dev target's differs from the original's"),
            )
        })
        .collect()
}

/// A program named in a command (`/usr/sbin/sshd`, `sshd`) that a package which left
/// production installed.
pub fn program_left(program: &str, excuses: &Excuses) -> bool {
    if let Some(path) = program.strip_prefix('/') {
        return excuses.owned_by_gone(path);
    }
    ["usr/sbin", "usr/bin", "sbin", "bin"]
        .iter()
        .any(|directory| excuses.owned_by_gone(&format!("{directory}/{program}")))
}

/// `usr/bin` + `../share/x` → `usr/share/x`.
fn resolve_relative(directory: &str, target: &str) -> String {
    let mut parts: Vec<&str> = directory.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// `etc/rc2.d/S01ssh` → `ssh`.
fn rc_link_script(path: &str) -> Option<&str> {
    let (directory, link) = path.rsplit_once('/')?;
    let is_rc = directory
        .strip_prefix("etc/rc")
        .is_some_and(|rest| rest.ends_with(".d"));
    let name = link
        .strip_prefix(['S', 'K'])?
        .trim_start_matches(|c: char| c.is_ascii_digit());
    (is_rc && !name.is_empty()).then_some(name)
}

/// `path-exclude`/`path-include` lines of production's /etc/dpkg/dpkg.cfg.d.
fn dpkg_filters(production: &Snapshot) -> Vec<(bool, GlobMatcher)> {
    let mut files: Vec<_> = production.texts_under("etc/dpkg/dpkg.cfg.d").collect();
    files.sort();
    let mut filters = Vec::new();
    for (_, text) in files {
        for line in text.lines() {
            let mut words = line.split_whitespace();
            let include = match words.next() {
                Some("path-include") => true,
                Some("path-exclude") => false,
                _ => continue,
            };
            if let Some(Ok(glob)) = words.next().map(Glob::new) {
                filters.push((include, glob.compile_matcher()));
            }
        }
    }
    filters
}

/// Every path of the original checked in production.
pub fn compare(
    original: &Snapshot,
    production: &Snapshot,
    excuses: &Excuses,
) -> (usize, Vec<Difference>) {
    let sets = path_sets();
    let mut checked = 0;
    let mut differences = Vec::new();
    let owner_names = (Owners::of(original), Owners::of(production));
    for (path, was) in &original.entries {
        if sets.ignored.is_match(path) {
            continue;
        }
        checked += 1;
        let shown = format!("/{path}");
        let Some(now) = production.entries.get(path) else {
            if !excuses.explains(path, production) && !excuses.points_into_excluded(path, was) {
                differences.push(Difference::new(
                    "file-missing",
                    &shown,
                    format!(
                        "{shown} ({}) is in the original, not in production",
                        was.kind.as_str()
                    ),
                ));
            }
            continue;
        };
        let owners = (
            owner_names.0.of_ids(was.uid, was.gid),
            owner_names.1.of_ids(now.uid, now.gid),
        );
        let volatile = sets.volatile.is_match(path)
            || excuses.explains_content(path)
            || drops_only_gone_programs(original, production, path, excuses);
        differences.extend(entry_differences(&shown, was, now, owners, volatile));
    }
    differences.extend(accounts(original, production, excuses));
    (checked, differences)
}

/// Numeric owners named through an image's own /etc/passwd and /etc/group: a system account
/// numbered differently because other packages came and went is still the same owner.
struct Owners {
    users: BTreeMap<u64, String>,
    groups: BTreeMap<u64, String>,
}

impl Owners {
    fn of(snapshot: &Snapshot) -> Self {
        let ids = |file: &str| -> BTreeMap<u64, String> {
            snapshot
                .text(file)
                .unwrap_or_default()
                .lines()
                .filter_map(|line| {
                    let mut fields = line.split(':');
                    let name = fields.next()?;
                    let id = fields.nth(1)?.parse().ok()?;
                    Some((id, name.to_string()))
                })
                .collect()
        };
        Owners {
            users: ids("etc/passwd"),
            groups: ids("etc/group"),
        }
    }

    fn of_ids(&self, uid: u64, gid: u64) -> String {
        let user = self
            .users
            .get(&uid)
            .cloned()
            .unwrap_or_else(|| uid.to_string());
        let group = self
            .groups
            .get(&gid)
            .cloned()
            .unwrap_or_else(|| gid.to_string());
        format!("{user}:{group}")
    }
}

fn entry_differences(
    shown: &str,
    was: &Entry,
    now: &Entry,
    (was_owner, now_owner): (String, String),
    volatile: bool,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    if was.kind != now.kind {
        differences.push(Difference::new(
            "file-type",
            shown,
            format!(
                "{shown}: {} in the original, {} in production",
                was.kind.as_str(),
                now.kind.as_str()
            ),
        ));
        return differences;
    }
    if was.mode != now.mode && was.kind != Kind::Symlink {
        differences.push(Difference::new(
            "file-mode",
            shown,
            format!(
                "{shown}: mode {:04o} in the original, {:04o} in production",
                was.mode, now.mode
            ),
        ));
    }
    if was_owner != now_owner {
        differences.push(Difference::new(
            "file-owner",
            shown,
            format!("{shown}: owner {was_owner} in the original, {now_owner} in production"),
        ));
    }
    if !volatile && was.content != now.content && was.kind != Kind::Directory {
        let what = if was.kind == Kind::File {
            format!(
                "sha256 {}… in the original, {}… in production",
                &was.content[..12.min(was.content.len())],
                &now.content[..12.min(now.content.len())]
            )
        } else {
            format!(
                "points to {} in the original, {} in production",
                was.content, now.content
            )
        };
        differences.push(Difference::new(
            "file-content",
            shown,
            format!("{shown}: {what}"),
        ));
    }
    differences
}

/// /etc/passwd and /etc/group entry by entry: each account of the original is in production
/// with the same fields, unless a maintainer script of a package that left makes it.
fn accounts(original: &Snapshot, production: &Snapshot, excuses: &Excuses) -> Vec<Difference> {
    let mut differences = Vec::new();
    let files = [
        ("etc/passwd", "user", "user-missing", "user-changed"),
        ("etc/group", "group", "group-missing", "group-changed"),
    ];
    for (file, kind, missing, changed) in files {
        let entries = |snapshot: &Snapshot| -> Vec<(String, String)> {
            snapshot
                .text(file)
                .unwrap_or_default()
                .lines()
                .filter_map(|line| line.split_once(':'))
                .map(|(name, rest)| (name.to_string(), account_fields(kind, rest)))
                .collect()
        };
        let now = entries(production);
        for (name, fields) in entries(original) {
            match now.iter().find(|(other, _)| *other == name) {
                None if excuses.explains_name(&name) => {}
                None => differences.push(Difference::new(
                    missing,
                    &name,
                    format!("{kind} {name} (/{file}) is in the original, not in production"),
                )),
                Some((_, same)) if *same == fields => {}
                Some((_, other)) => differences.push(Difference::new(
                    changed,
                    &name,
                    format!("{kind} {name}: {name}:{fields} in the original, {name}:{other} in production"),
                )),
            }
        }
    }
    differences
}

/// What must stay of an account: a user's home and shell (ids may be renumbered when other
/// system accounts come and go; owners are compared by name); a group's existence.
fn account_fields(kind: &str, rest: &str) -> String {
    if kind == "group" {
        return String::new();
    }
    let fields: Vec<&str> = rest.split(':').collect();
    fields[fields.len().saturating_sub(2)..].join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, mode: u32, content: &str) -> Entry {
        Entry {
            kind,
            mode,
            uid: 0,
            gid: 0,
            content: content.to_string(),
        }
    }

    fn snapshot(paths: &[(&str, Entry)], texts: &[(&str, &str)]) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for (path, entry) in paths {
            snapshot.entries.insert(path.to_string(), entry.clone());
        }
        for (path, text) in texts {
            snapshot.texts.insert(path.to_string(), text.to_string());
        }
        snapshot
    }

    fn kinds(differences: &[Difference]) -> Vec<(&str, &str)> {
        differences
            .iter()
            .map(|d| (d.kind, d.subject.as_str()))
            .collect()
    }

    /// Read from the make-project build: cpp's postinst registers the `/lib/cpp` alternative,
    /// which a merged-`/usr` image exports as `usr/lib/cpp`.
    #[test]
    fn a_gone_package_script_naming_a_merged_usr_path_explains_it() {
        let original = snapshot(
            &[
                ("lib", entry(Kind::Symlink, 0o777, "usr/lib")),
                (
                    "usr/lib/cpp",
                    entry(Kind::Symlink, 0o777, "/etc/alternatives/cpp"),
                ),
                ("usr/lib/other", entry(Kind::Symlink, 0o777, "/bin/true")),
            ],
            &[(
                "var/lib/dpkg/info/cpp.postinst",
                "update-alternatives --install /lib/cpp cpp /usr/bin/cpp 10\n",
            )],
        );
        let production = snapshot(&[("lib", entry(Kind::Symlink, 0o777, "usr/lib"))], &[]);
        let gone = ["cpp"].map(String::from).into_iter().collect();
        let excuses = Excuses::new(&original, &production, &gone);
        let (_, differences) = compare(&original, &production, &excuses);
        assert_eq!(kinds(&differences), [("file-missing", "/usr/lib/other")]);
    }

    #[test]
    fn what_a_gone_package_owns_or_its_scripts_make_may_be_missing() {
        let original = snapshot(
            &[
                ("lib", entry(Kind::Symlink, 0o777, "usr/lib")),
                ("usr/lib/vim/syntax.vim", entry(Kind::File, 0o644, "a")),
                (
                    "etc/rc2.d/S01ssh",
                    entry(Kind::Symlink, 0o777, "../init.d/ssh"),
                ),
                (
                    "var/lib/dpkg/alternatives/editor",
                    entry(Kind::File, 0o644, "b"),
                ),
                ("etc/app.conf", entry(Kind::File, 0o644, "c")),
                ("usr/share/doc/vim/copyright", entry(Kind::File, 0o644, "d")),
                ("usr/share/man/man1/ls.1.gz", entry(Kind::File, 0o644, "e")),
                (
                    "etc/alternatives/mailx.1.gz",
                    entry(Kind::Symlink, 0o777, "/usr/share/man/man1/bsd-mailx.1.gz"),
                ),
                (
                    "usr/bin/manual",
                    entry(Kind::Symlink, 0o777, "../share/man/man1/ls.1.gz"),
                ),
                (
                    "etc/alternatives/mailx",
                    entry(Kind::Symlink, 0o777, "/usr/bin/bsd-mailx"),
                ),
            ],
            &[
                ("var/lib/dpkg/info/vim.list", "/lib/vim/syntax.vim\n"),
                (
                    "var/lib/dpkg/info/vim.postinst",
                    "update-alternatives --install /usr/bin/editor editor /usr/bin/vim 30\n",
                ),
                ("var/lib/dpkg/info/openssh-server.list", "/etc/init.d/ssh\n"),
                (
                    "etc/passwd",
                    "root:x:0:0:root:/root:/bin/bash\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n",
                ),
            ],
        );
        let production = snapshot(
            &[("lib", entry(Kind::Symlink, 0o777, "usr/lib"))],
            &[
                (
                    "etc/dpkg/dpkg.cfg.d/docker",
                    "path-exclude /usr/share/man/*\n",
                ),
                ("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
            ],
        );
        let gone = ["vim", "openssh-server"]
            .map(String::from)
            .into_iter()
            .collect();
        let excuses = Excuses::new(&original, &production, &gone);
        let (_, differences) = compare(&original, &production, &excuses);
        // The app's own file, a link to a kept program, a doc the filters keep out of no
        // image, and a user no gone package's scripts name.
        assert_eq!(
            kinds(&differences),
            [
                ("file-missing", "/etc/alternatives/mailx"),
                ("file-missing", "/etc/app.conf"),
                ("file-missing", "/usr/share/doc/vim/copyright"),
                ("user-missing", "sshd"),
            ]
        );
    }

    #[test]
    fn type_mode_owner_and_content_are_compared_build_records_by_presence_only() {
        let mut owned = entry(Kind::File, 0o644, "same");
        owned.uid = 101;
        let original = snapshot(
            &[
                ("etc/app.conf", entry(Kind::File, 0o644, "one")),
                ("usr/local/bin/run", entry(Kind::File, 0o755, "x")),
                ("srv/data", owned.clone()),
                ("var/log/dpkg.log", entry(Kind::File, 0o644, "log1")),
                ("var/lib/apt/lists/index", entry(Kind::File, 0o644, "i")),
            ],
            &[("etc/passwd", "svc:x:101:101::/srv:/bin/sh\n")],
        );
        let mut renumbered = owned;
        renumbered.uid = 102;
        let production = snapshot(
            &[
                ("etc/app.conf", entry(Kind::File, 0o644, "two")),
                ("usr/local/bin/run", entry(Kind::File, 0o644, "x")),
                ("srv/data", renumbered),
                ("var/log/dpkg.log", entry(Kind::File, 0o644, "log2")),
            ],
            &[("etc/passwd", "svc:x:102:102::/srv:/bin/sh\n")],
        );
        let excuses = Excuses::new(&original, &production, &BTreeSet::new());
        let (checked, differences) = compare(&original, &production, &excuses);
        assert_eq!(checked, 4);
        assert_eq!(
            kinds(&differences),
            [
                ("file-content", "/etc/app.conf"),
                ("file-mode", "/usr/local/bin/run"),
            ]
        );
    }

    #[test]
    fn records_and_configuration_of_tools_that_left_may_be_missing() {
        let file = entry(Kind::File, 0o644, "x");
        let directory = entry(Kind::Directory, 0o755, "");
        let site = "usr/local/lib/python3.11/dist-packages";
        let record = format!("{site}/ipython-8.18.1.dist-info/RECORD");
        let original = snapshot(
            &[
                ("var/lib/apt/extended_states", file.clone()),
                ("var/log/apt/eipp.log.xz", file.clone()),
                (
                    "root/.ipython/profile_default/startup/00-six.py",
                    file.clone(),
                ),
                ("home/dev/.vimrc", file.clone()),
                ("root/.gitconfig", file.clone()),
                ("root/.bashrc", file.clone()),
                (
                    &format!("{site}/ipython-8.18.1.dist-info"),
                    directory.clone(),
                ),
                (&record, file.clone()),
                (&format!("{site}/IPython/__init__.py"), file.clone()),
                ("usr/local/share/man/man1", directory.clone()),
                ("usr/local/share/man/man1/ipython.1", file.clone()),
                ("usr/local/share/man", directory.clone()),
                ("srv/app/.git/index", entry(Kind::File, 0o644, "t1")),
            ],
            &[(
                record.as_str(),
                "IPython/__init__.py,sha256=x,1\n../../../share/man/man1/ipython.1,sha256=y,2\n",
            )],
        );
        let production = snapshot(
            &[
                ("usr/local/share/man", directory),
                ("srv/app/.git/index", entry(Kind::File, 0o644, "t2")),
            ],
            &[],
        );
        let gone = BTreeSet::from(["vim".to_string(), "git".to_string()]);
        let excuses = Excuses::new(&original, &production, &gone);
        let (_, differences) = compare(&original, &production, &excuses);
        // apt's records, ipython's, vim's and git's configuration, the directory ipython's manual page
        // made; not bash's configuration (bash did not leave)
        assert_eq!(kinds(&differences), [("file-missing", "/root/.bashrc")]);
        // With no package gone, apt's records are held against production.
        let excuses = Excuses::new(&original, &production, &BTreeSet::new());
        let (_, differences) = compare(&original, &production, &excuses);
        assert!(
            kinds(&differences).contains(&("file-missing", "/var/lib/apt/extended_states")),
            "{differences:?}"
        );
    }

    #[test]
    fn the_knowledge_file_parses_and_every_pattern_compiles() {
        let knowledge: Knowledge = toml::from_str(KNOWLEDGE).expect("rules/verify.toml");
        for pattern in knowledge
            .ignored
            .iter()
            .chain(&knowledge.volatile)
            .chain(&knowledge.package_run_records)
        {
            Glob::new(pattern).unwrap_or_else(|error| panic!("{pattern}: {error}"));
        }
    }

    #[test]
    fn production_may_leave_programs_of_gone_packages_out_of_supervisord() {
        let full = "[program:sshd]\ncommand=/usr/sbin/sshd -D\n\n[program:cron]\ncommand=/usr/sbin/cron -f\n";
        let without_sshd = "[program:cron]\ncommand=/usr/sbin/cron -f\n";
        let without_cron = "[program:sshd]\ncommand=/usr/sbin/sshd -D\n";
        let conf = "etc/supervisor/conf.d/app.conf";
        let original = snapshot(
            &[(conf, entry(Kind::File, 0o644, "full"))],
            &[
                (conf, full),
                ("var/lib/dpkg/info/openssh-server.list", "/usr/sbin/sshd\n"),
            ],
        );
        let gone = ["openssh-server".to_string()].into_iter().collect();
        for (text, expected) in [
            (without_sshd, Vec::new()),
            (
                without_cron,
                vec![("file-content", "/etc/supervisor/conf.d/app.conf")],
            ),
        ] {
            let production = snapshot(&[(conf, entry(Kind::File, 0o644, text))], &[(conf, text)]);
            let excuses = Excuses::new(&original, &production, &gone);
            let (_, differences) = compare(&original, &production, &excuses);
            assert_eq!(kinds(&differences), expected, "{text}");
            // The dev target must run what the original ran.
            if expected.is_empty() {
                let dev = snapshot(&[], &[(conf, text)]);
                let dev_differences =
                    dev_keeps_rewritten_configs(&original, &production, &dev, &excuses);
                assert_eq!(
                    kinds(&dev_differences),
                    [("dev-file-content", "/etc/supervisor/conf.d/app.conf")]
                );
            }
        }
    }
}
