//! The hadolint rules on their fixtures in `testdata/rules/<CODE>/`, one test module per topic
//! as in `src/rules/hadolint/` (`tests/hadolint/`).

mod hadolint;
mod rule_fixtures;
