//! pip: version pins and `--no-cache-dir`.

pub(super) mod dl3013_pip_pin_versions;
pub(super) mod dl3042_pip_no_cache_dir;
