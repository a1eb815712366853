//! DL3036 zypper-clean: `zypper install` and no `zypper clean` after it in the same RUN.
//!
//! The downloaded packages stay in the layer. Accepted clean-ups: `zypper clean` / `zypper
//! cc` (any options), `rm -rf /var/cache/zypp`, or a cache/tmpfs mount on `/var/cache/zypp`.
//! The fix (safe) appends `&& zypper clean` to the RUN when its script ends with a plain
//! command.

use crate::rules::hadolint::package_cache::{CacheClean, check_cache_clean};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3036",
        name: "zypper-clean",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "`zypper install` without `zypper clean` in the same RUN",
        doc: include_str!("../../../../rules/DL3036.md"),
    },
    check,
};

const CLEAN: CacheClean = CacheClean {
    programs: &["zypper"],
    installs: |subcommand| matches!(subcommand, "install" | "in"),
    clean_subcommands: &["clean", "cc"],
    clean_args: &[],
    paths: &["/var/cache/zypp"],
    mounts: &["/var/cache/zypp"],
    clean: |_| "zypper clean".to_string(),
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_cache_clean(context, &RULE.meta, &CLEAN, out);
}
