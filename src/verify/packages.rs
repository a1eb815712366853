//! Installed packages read from an image: dpkg's status file, apk's installed database, or
//! `rpm -qa` run in the image; and the rule a layered rewrite must keep (see [`compare`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Catalog, Ecosystem, Layer};

use super::Difference;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Package {
    pub version: String,
    /// What this package needs (Depends, Pre-Depends, Recommends): groups of alternatives
    /// (`exim4 | mail-transport-agent` is one group).
    pub needs: Vec<Vec<String>>,
    /// The part of `needs` dpkg enforces (Depends, Pre-Depends): a package production keeps
    /// pins these, not what it merely recommends.
    pub depends: Vec<Vec<String>>,
    /// Virtual names it provides.
    pub provides: Vec<String>,
}

/// The installed packages of one image, by name.
#[derive(Clone, Debug, Default)]
pub struct Installed {
    pub ecosystem: Option<Ecosystem>,
    pub packages: BTreeMap<String, Package>,
}

/// dpkg's `/var/lib/dpkg/status`: the stanzas whose Status says installed.
pub fn parse_dpkg_status(text: &str) -> Installed {
    let mut packages = BTreeMap::new();
    for stanza in text.split("\n\n") {
        let fields = stanza_fields(stanza);
        let Some(name) = fields.get("Package") else {
            continue;
        };
        let installed = fields
            .get("Status")
            .is_some_and(|status| status.ends_with(" installed"));
        if !installed {
            continue;
        }
        let groups = |field: &str| {
            fields
                .get(field)
                .map(|list| relation_groups(list))
                .unwrap_or_default()
        };
        let mut depends = groups("Depends");
        depends.extend(groups("Pre-Depends"));
        let mut needs = depends.clone();
        needs.extend(groups("Recommends"));
        let provides = fields
            .get("Provides")
            .map(|list| relation_names(list))
            .unwrap_or_default();
        packages.insert(
            name.clone(),
            Package {
                version: fields.get("Version").cloned().unwrap_or_default(),
                needs,
                depends,
                provides,
            },
        );
    }
    Installed {
        ecosystem: Some(Ecosystem::Deb),
        packages,
    }
}

/// `Field: value` lines of a stanza, continuation lines joined.
fn stanza_fields(stanza: &str) -> BTreeMap<&str, String> {
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    let mut last: Option<&str> = None;
    for line in stanza.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(field) = last.and_then(|name| fields.get_mut(name)) {
                field.push(' ');
                field.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.insert(name, value.trim().to_string());
            last = Some(name);
        }
    }
    fields
}

/// `libc6 (>= 2.34), exim4 | mail-transport-agent` → every name, without versions or archs.
fn relation_names(list: &str) -> Vec<String> {
    relation_groups(list).into_iter().flatten().collect()
}

/// `libc6 (>= 2.34), exim4 | mail-transport-agent` → `[[libc6], [exim4, mail-transport-agent]]`.
fn relation_groups(list: &str) -> Vec<Vec<String>> {
    list.split(',')
        .map(|group| {
            group
                .split('|')
                .filter_map(|relation| relation.split_whitespace().next())
                .map(|name| name.split(':').next().unwrap_or(name).to_string())
                .filter(|name| !name.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|group| !group.is_empty())
        .collect()
}

/// apk's `/lib/apk/db/installed` (`P:` name, `V:` version, `D:` dependencies, `p:` provides).
pub fn parse_apk_installed(text: &str) -> Installed {
    let mut packages = BTreeMap::new();
    for stanza in text.split("\n\n") {
        let mut name = None;
        let mut package = Package::default();
        for line in stanza.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let names = || {
                value
                    .split_whitespace()
                    .filter(|name| !name.starts_with('!'))
                    .map(|name| apk_bare_name(name).to_string())
                    .collect::<Vec<_>>()
            };
            match key {
                "P" => name = Some(value.to_string()),
                "V" => package.version = value.to_string(),
                "D" => {
                    package.needs = names().into_iter().map(|name| vec![name]).collect();
                    package.depends = package.needs.clone();
                }
                "p" => package.provides = names(),
                _ => {}
            }
        }
        if let Some(name) = name {
            packages.insert(name, package);
        }
    }
    Installed {
        ecosystem: Some(Ecosystem::Apk),
        packages,
    }
}

/// `so:libc.musl-x86_64.so.1`, `pc:x>=1` → the name before any version operator.
fn apk_bare_name(spec: &str) -> &str {
    spec.split(['=', '<', '>', '~']).next().unwrap_or(spec)
}

/// `rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n'`.
pub fn parse_rpm_list(text: &str) -> Installed {
    let packages = text
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(name, version)| {
            (
                name.to_string(),
                Package {
                    version: version.to_string(),
                    ..Package::default()
                },
            )
        })
        .collect();
    Installed {
        ecosystem: Some(Ecosystem::Rpm),
        packages,
    }
}

/// How strictly production is held to the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// A layered split: development packages (and what only they needed) may leave production.
    Layered,
    /// A per-instruction fix: every package stays.
    Same,
}

/// Packages of the original that production may lack: development packages of the catalog,
/// and packages that only left packages needed (found by following Depends/Pre-Depends/
/// Recommends from the development packages that left).
pub fn allowed_to_leave(
    original: &Installed,
    production: &Installed,
    catalog: &Catalog,
) -> BTreeSet<String> {
    let Some(ecosystem) = original.ecosystem else {
        return BTreeSet::new();
    };
    let gone: BTreeSet<&str> = original
        .packages
        .keys()
        .filter(|name| !production.packages.contains_key(*name))
        .map(String::as_str)
        .collect();
    let is_dev = |name: &str| {
        catalog
            .package(ecosystem, name)
            .is_some_and(|info| info.layer == Layer::Dev)
    };
    // Who needs a name (directly or through a virtual name it provides), in the original.
    let mut needed_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut providers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, package) in &original.packages {
        for provided in &package.provides {
            providers.entry(provided).or_default().push(name);
        }
    }
    // A group of alternatives production satisfies pins none of them: `logrotate` needs
    // `cron | systemd-sysv`, and with cron kept systemd-sysv may leave. A package production
    // keeps pins what it depends on, not what it only recommends: `passwd` recommends
    // sensible-utils, which the original has only because ucf (with openssh-server) depends
    // on it; production installed passwd without it from the start.
    let satisfied = |group: &[String]| {
        group.iter().any(|name| {
            production.packages.contains_key(name)
                || providers
                    .get(name.as_str())
                    .is_some_and(|list| list.iter().any(|p| production.packages.contains_key(*p)))
        })
    };
    for (name, package) in &original.packages {
        let kept = production.packages.contains_key(name);
        let relations = if kept {
            &package.depends
        } else {
            &package.needs
        };
        for group in relations.iter().filter(|group| !satisfied(group)) {
            for need in group {
                let mut targets = vec![need.as_str()];
                targets.extend(providers.get(need.as_str()).into_iter().flatten());
                for target in targets {
                    needed_by.entry(target).or_default().push(name);
                }
            }
        }
    }
    // Greatest fixed point: a gone package stays a candidate while everything that needs it
    // is gone too and is a candidate.
    let mut candidates: BTreeSet<&str> = gone.clone();
    loop {
        let before = candidates.len();
        let snapshot = candidates.clone();
        candidates.retain(|name| {
            if is_dev(name) {
                return true;
            }
            let users = needed_by.get(name).map(Vec::as_slice).unwrap_or_default();
            !users.is_empty() && users.iter().all(|user| snapshot.contains(user))
        });
        if candidates.len() == before {
            break;
        }
    }
    // Only what a development package leads to: no island of packages that left by mistake.
    let mut allowed: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<&str> = candidates.iter().copied().filter(|n| is_dev(n)).collect();
    while let Some(name) = queue.pop() {
        if !allowed.insert(name.to_string()) {
            continue;
        }
        let Some(package) = original.packages.get(name) else {
            continue;
        };
        for need in package.needs.iter().flatten() {
            let mut targets = vec![need.as_str()];
            targets.extend(providers.get(need.as_str()).into_iter().flatten());
            queue.extend(targets.into_iter().filter(|t| candidates.contains(t)));
        }
    }
    allowed
}

/// Production against the original (and the dev target against the original).
pub fn compare(
    original: &Installed,
    production: &Installed,
    development: Option<&Installed>,
    catalog: &Catalog,
    strictness: Strictness,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    let allowed = match strictness {
        Strictness::Layered => allowed_to_leave(original, production, catalog),
        Strictness::Same => BTreeSet::new(),
    };
    for (name, package) in &original.packages {
        match production.packages.get(name) {
            None if allowed.contains(name) => {}
            None => differences.push(Difference::new(
                "package-missing",
                name,
                format!(
                    "{name} {} is installed in the original, not in production",
                    package.version
                ),
            )),
            Some(kept) if kept.version != package.version => differences.push(Difference::new(
                "package-version",
                name,
                format!(
                    "{name}: {} in the original, {} in production",
                    package.version, kept.version
                ),
            )),
            Some(_) => {}
        }
    }
    if strictness == Strictness::Layered {
        differences.extend(development_in_production(original, production, catalog));
    }
    if let Some(development) = development {
        for (name, package) in &original.packages {
            if !development.packages.contains_key(name) {
                differences.push(Difference::new(
                    "dev-package-missing",
                    name,
                    format!(
                        "{name} {} is installed in the original, not in the dev target",
                        package.version
                    ),
                ));
            }
        }
    }
    differences
}

/// Development packages of the original that production still has.
fn development_in_production(
    original: &Installed,
    production: &Installed,
    catalog: &Catalog,
) -> Vec<Difference> {
    let Some(ecosystem) = original.ecosystem else {
        return Vec::new();
    };
    let is_dev = |name: &str| {
        catalog
            .package(ecosystem, name)
            .is_some_and(|info| info.layer == Layer::Dev)
    };
    // What production packages outside the dev layer need: a development package one of them
    // depends on (gcc-12-base under libgcc-s1) stays rightly.
    let needed: BTreeSet<&str> = production
        .packages
        .iter()
        .filter(|(name, _)| !is_dev(name))
        .flat_map(|(_, package)| package.needs.iter().flatten().map(String::as_str))
        .collect();
    let is_needed = |name: &str| {
        needed.contains(name)
            || production.packages[name]
                .provides
                .iter()
                .any(|provided| needed.contains(provided.as_str()))
    };
    production
        .packages
        .keys()
        .filter(|name| original.packages.contains_key(*name) && !is_needed(name))
        .filter_map(|name| {
            let info = catalog.package(ecosystem, name)?;
            (info.layer == Layer::Dev).then(|| {
                Difference::new(
                    "dev-package-in-production",
                    name,
                    format!(
                        "{name} is a development package (catalog: {}) and is still in production",
                        info.pattern
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
Package: cron
Status: install ok installed
Version: 3.0
Depends: libc6 (>= 2.34), libpam0g
Recommends: exim4 | mail-transport-agent

Package: gcc
Status: install ok installed
Version: 12
Depends: cpp (= 12), libc6

Package: cpp
Status: install ok installed
Version: 12
Depends: libc6

Package: libc6
Status: install ok installed
Version: 2.36

Package: libpam0g
Status: install ok installed
Version: 1.5

Package: exim4
Status: install ok installed
Version: 4.96
Provides: mail-transport-agent

Package: gone
Status: deinstall ok config-files
Version: 1
";

    /// A layered split's comparison with the built-in catalog and no dev image.
    fn compare_layered(original: &Installed, production: &Installed) -> Vec<Difference> {
        compare(
            original,
            production,
            None,
            Catalog::builtin(),
            Strictness::Layered,
        )
    }

    fn without(installed: &Installed, names: &[&str]) -> Installed {
        let mut copy = installed.clone();
        copy.packages
            .retain(|name, _| !names.contains(&name.as_str()));
        copy
    }

    #[test]
    fn reads_installed_stanzas_with_their_needs() {
        let installed = parse_dpkg_status(STATUS);
        assert_eq!(installed.packages.len(), 6);
        assert_eq!(
            installed.packages["cron"].needs,
            [
                vec!["libc6"],
                vec!["libpam0g"],
                vec!["exim4", "mail-transport-agent"]
            ]
        );
        assert!(!installed.packages.contains_key("gone"));
    }

    #[test]
    fn development_packages_and_what_only_they_needed_may_leave() {
        let original = parse_dpkg_status(STATUS);
        let production = without(&original, &["gcc", "cpp"]);
        let differences = compare_layered(&original, &production);
        assert!(differences.is_empty(), "{differences:?}");
    }

    #[test]
    fn a_recommended_package_that_left_is_a_difference() {
        let original = parse_dpkg_status(STATUS);
        let production = without(&original, &["gcc", "cpp", "exim4"]);
        let differences = compare_layered(&original, &production);
        let kinds: Vec<_> = differences
            .iter()
            .map(|d| (d.kind, d.subject.as_str()))
            .collect();
        assert_eq!(kinds, [("package-missing", "exim4")]);
    }

    #[test]
    fn a_per_instruction_fix_keeps_every_package_and_dev_keeps_all() {
        let original = parse_dpkg_status(STATUS);
        let production = without(&original, &["gcc", "cpp"]);
        let development = without(&original, &["libpam0g"]);
        let differences = compare(
            &original,
            &production,
            Some(&development),
            Catalog::builtin(),
            Strictness::Same,
        );
        let kinds: Vec<_> = differences
            .iter()
            .map(|d| (d.kind, d.subject.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("package-missing", "cpp"),
                ("package-missing", "gcc"),
                ("dev-package-missing", "libpam0g")
            ]
        );
    }

    #[test]
    fn a_development_package_left_in_production_is_a_difference() {
        let original = parse_dpkg_status(STATUS);
        let differences = compare_layered(&original, &original);
        let kinds: Vec<_> = differences
            .iter()
            .map(|d| (d.kind, d.subject.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("dev-package-in-production", "cpp"),
                ("dev-package-in-production", "gcc")
            ]
        );
    }

    /// Read from the lighttpd-sshd build: passwd (kept) recommends sensible-utils, which the
    /// original has only because ucf, a dependency of openssh-server, depends on it.
    const SSHD_STATUS: &str = "\
Package: passwd
Status: install ok installed
Version: 1
Depends: libc6
Recommends: sensible-utils

Package: openssh-server
Status: install ok installed
Version: 9
Depends: ucf, libc6

Package: ucf
Status: install ok installed
Version: 3
Depends: debconf (>= 0.5) | debconf-2.0, sensible-utils

Package: sensible-utils
Status: install ok installed
Version: 0.0.17

Package: libc6
Status: install ok installed
Version: 2.36
";

    #[test]
    fn what_a_kept_package_only_recommends_may_leave_with_the_development_package() {
        let original = parse_dpkg_status(SSHD_STATUS);
        let production = without(&original, &["openssh-server", "ucf", "sensible-utils"]);
        let differences = compare_layered(&original, &production);
        assert!(differences.is_empty(), "{differences:?}");
        // What a kept package depends on stays pinned.
        let mut pinned = original.clone();
        pinned.packages.get_mut("passwd").unwrap().depends = vec![vec!["sensible-utils".into()]];
        let differences = compare_layered(
            &pinned,
            &without(&pinned, &["openssh-server", "ucf", "sensible-utils"]),
        );
        let subjects: Vec<_> = differences.iter().map(|d| d.subject.as_str()).collect();
        assert_eq!(subjects, ["sensible-utils"]);
    }
}
