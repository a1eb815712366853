//! Every rule, listed once.

use super::Rule;
use super::heavy;
use super::syntax_errors::SYNTAX_RULES;

/// All rules in code order.
pub static RULES: &[Rule] = &[
    SYNTAX_RULES[0],
    SYNTAX_RULES[1],
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
];

/// A rule by code (`HC002`) or name (`ssh-server`), case-insensitively.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| {
        rule.meta.code.eq_ignore_ascii_case(code_or_name)
            || rule.meta.name.eq_ignore_ascii_case(code_or_name)
    })
}
