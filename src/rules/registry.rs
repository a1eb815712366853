//! Every rule, listed once.

use std::collections::HashMap;

use foldhash::fast::FixedState;
use std::sync::LazyLock;

use super::syntax_errors::SYNTAX_RULES;
use super::{Rule, buildkit, hadolint, heavy, security};

/// All rules: syntax, heavy-container (HC), hadolint-compatible (DL), BuildKit's checks (BK),
/// security (SEC), in code order.
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
        heavy::index_update_alone::RULE,
        heavy::toolchain_shipped::RULE,
        heavy::multiple_services::RULE,
    ]);
    rules.extend_from_slice(hadolint::RULES);
    rules.extend_from_slice(buildkit::RULES);
    rules.extend_from_slice(security::RULES);
    rules
});

/// Every rule's code and name, lowercased, to its index in `RULES`; the code as written too, so
/// that the lookups of the lint (a finding's own code) need no lowercased copy. Looked up for
/// every finding: hashed with foldhash's fixed-seed hasher, a fraction of SipHash's cost on
/// these short keys (the map holds the rules' own keys only, and nothing is added later).
static BY_CODE_OR_NAME: LazyLock<HashMap<String, usize, FixedState>> = LazyLock::new(|| {
    let mut index = HashMap::default();
    for (position, rule) in RULES.iter().enumerate() {
        index.insert(rule.meta.code.to_string(), position);
        index.insert(rule.meta.code.to_ascii_lowercase(), position);
        index.insert(rule.meta.name.to_ascii_lowercase(), position);
    }
    index
});

/// A rule by code (`HC002`) or name (`ssh-server`), case-insensitively.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    let exact = BY_CODE_OR_NAME.get(code_or_name);
    let position = match exact {
        Some(position) => Some(position),
        None => BY_CODE_OR_NAME.get(&code_or_name.to_ascii_lowercase()),
    }?;
    RULES.get(*position)
}
