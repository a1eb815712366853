//! Every rule, listed once.

use std::sync::LazyLock;

use super::syntax_errors::SYNTAX_RULES;
use super::{Rule, hadolint, heavy};

/// All rules: syntax, heavy-container (HC), hadolint-compatible (DL), in code order.
pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let mut rules: Vec<Rule> = SYNTAX_RULES.to_vec();
    rules.extend([
        heavy::full_os_base::RULE,
        heavy::ssh_server::RULE,
        heavy::process_supervisor::RULE,
        heavy::cron_daemon::RULE,
        heavy::runtime_config_management::RULE,
        heavy::dev_tools_in_production::RULE,
        heavy::kernel_in_container::RULE,
        heavy::ops_agent_baked_in::RULE,
        heavy::os_upgrade_in_build::RULE,
        heavy::install_sprawl::RULE,
        heavy::toolchain_shipped::RULE,
        heavy::multiple_services::RULE,
    ]);
    let mut dl: Vec<Rule> = [
        hadolint::group_a::RULES,
        hadolint::group_b::RULES,
        hadolint::group_c::RULES,
    ]
    .concat();
    dl.sort_by_key(|rule| rule.meta.code);
    rules.extend(dl);
    rules
});

/// A rule by code (`HC002`) or name (`ssh-server`), case-insensitively.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| {
        rule.meta.code.eq_ignore_ascii_case(code_or_name)
            || rule.meta.name.eq_ignore_ascii_case(code_or_name)
    })
}
