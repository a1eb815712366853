//! dlayer's heavy-container rules (`HC0xx`): one file per rule, and what they share.

pub mod cron_daemon;
pub mod dev_tools_in_production;
pub mod full_os_base;
pub mod index_update_alone;
pub mod install_sprawl;
pub mod kernel_in_container;
pub mod multiple_services;
pub mod ops_agent_baked_in;
pub mod os_upgrade_in_build;
pub mod process_supervisor;
pub mod runtime_config_management;
pub(crate) mod shared;
pub mod ssh_server;
pub mod toolchain_shipped;
