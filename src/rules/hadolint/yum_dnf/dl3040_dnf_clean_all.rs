//! DL3040 dnf-clean-all: `dnf`/`microdnf` installs or upgrades and no `clean all` follows in
//! the same RUN.
//!
//! The downloaded packages and metadata stay in the layer. Accepted clean-ups: `dnf clean
//! all` (any of dnf, microdnf, dnf5), `rm -rf /var/cache/dnf` (or `/var/cache/yum`,
//! `/var/cache/libdnf5`), or a cache/tmpfs mount on one of these. The fix (safe) appends
//! `&& <program> clean all` to the RUN when its script ends with a plain command.

use crate::rules::hadolint::package_cache::{CacheClean, check_cache_clean};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3040",
        name: "dnf-clean-all",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "`dnf install` without `dnf clean all` in the same RUN",
        doc: include_str!("../../../../rules/DL3040.md"),
    },
    check,
};

const CACHES: &[&str] = &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"];

const CLEAN: CacheClean = CacheClean {
    programs: &["dnf", "microdnf", "dnf5"],
    installs: |subcommand| {
        super::is_install(subcommand)
            || matches!(
                subcommand,
                "upgrade"
                    | "up"
                    | "update"
                    | "upgrade-minimal"
                    | "up-min"
                    | "update-minimal"
                    | "reinstall"
                    | "rei"
                    | "distro-sync"
            )
    },
    clean_subcommands: &["clean"],
    clean_args: &["all"],
    paths: CACHES,
    mounts: CACHES,
    clean: |program| format!("{program} clean all"),
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_cache_clean(context, &RULE.meta, &CLEAN, out);
}
