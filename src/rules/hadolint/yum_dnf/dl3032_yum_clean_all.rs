//! DL3032 yum-clean-all: `yum install` and no `yum clean all` after it in the same RUN.
//!
//! The downloaded packages and metadata stay in the layer. Accepted clean-ups: `yum clean
//! all`, `rm -rf /var/cache/yum`, or a cache/tmpfs mount on `/var/cache/yum`. The fix (safe)
//! appends `&& yum clean all` to the RUN when its script ends with a plain command.

use crate::rules::hadolint::package_cache::{CacheClean, check_cache_clean};
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DL3032",
        name: "yum-clean-all",
        severity: Severity::Warning,
        family: Family::Hadolint,
        layer: None,
        fixable: true,
        default_enabled: true,
        summary: "`yum install` without `yum clean all` in the same RUN",
        doc: include_str!("../../../../rules/DL3032.md"),
    },
    check,
};

const CLEAN: CacheClean = CacheClean {
    programs: &["yum"],
    installs: super::is_install,
    clean_subcommands: &["clean"],
    clean_args: &["all"],
    paths: &["/var/cache/yum"],
    mounts: &["/var/cache/yum"],
    clean: |_| "yum clean all".to_string(),
};

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    check_cache_clean(context, &RULE.meta, &CLEAN, out);
}
