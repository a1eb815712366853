//! npm and yarn: version pins and the yarn cache.

pub(super) mod dl3016_npm_pin_versions;
pub(super) mod dl3060_yarn_cache_not_cleaned;
