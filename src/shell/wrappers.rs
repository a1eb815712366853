//! The wrappers catalog (`rules/catalog/wrappers.toml`): programs that run another command
//! given by the words after them (`sudo`, `env`, `timeout 5s`, `gosu USER`), and how many of
//! those words are theirs.

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;
use serde::Deserialize;

const WRAPPERS_TOML: &str = include_str!("../../rules/catalog/wrappers.toml");

/// A program that runs another command given by the words after it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrapper {
    pub names: Vec<String>,
    /// Short options that take a value (attached or in the next word).
    #[serde(default)]
    pub short_values: String,
    /// Long options that take a value in the next word when it is not attached with `=`.
    #[serde(default)]
    pub long_values: Vec<String>,
    /// Options that make the wrapper do something else than run a command.
    #[serde(default)]
    pub queries: Vec<String>,
    /// Operands before the command (`timeout DURATION`, `gosu USER`).
    #[serde(default)]
    pub operands: usize,
    /// `NAME=value` words before the command set its environment.
    #[serde(default)]
    pub assignments: bool,
    /// A lone `-` is an option (`env -`).
    #[serde(default)]
    pub lone_dash: bool,
    /// Files the wrapper reads whatever it runs (`/etc/sudoers`).
    #[serde(default)]
    pub reads: Vec<String>,
    /// It looks users up by name.
    #[serde(default)]
    pub looks_up_users: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrappersFile {
    wrapper: Vec<Wrapper>,
}

static WRAPPERS: LazyLock<Vec<Wrapper>> = LazyLock::new(|| {
    toml::from_str::<WrappersFile>(WRAPPERS_TOML)
        .map(|file| file.wrapper)
        .expect("rules/catalog/wrappers.toml is compiled in and checked by a test")
});

/// Every wrapper by each of its names (a name belongs to one wrapper: a test checks it), with
/// foldhash's fixed-seed hasher: every command's program is looked up, and SipHash cost more
/// than the walk through the names it replaced (the map holds the catalog's names only).
static BY_NAME: LazyLock<HashMap<&'static str, &'static Wrapper, FixedState>> =
    LazyLock::new(|| {
        WRAPPERS
            .iter()
            .flat_map(|wrapper| {
                wrapper
                    .names
                    .iter()
                    .map(move |name| (name.as_str(), wrapper))
            })
            .collect()
    });

/// For each first byte, the lengths and the last bytes of the wrapper names starting with it:
/// most programs (`apt-get`, `mkdir`, `rm`) are told apart from every wrapper by this table,
/// without hashing their name, and the last byte tells apart those of a wrapper's first byte
/// and length (`echo` from `exec`, `sed` from `env`).
static FIRST_BYTE_SHAPES: LazyLock<[Shape; 256]> = LazyLock::new(|| {
    let mut table = [Shape::default(); 256];
    for name in BY_NAME.keys() {
        if let Some(&first) = name.as_bytes().first() {
            let shape = &mut table[usize::from(first)];
            shape.lengths |= length_bit(name);
            shape.last_bytes |= last_byte_bit(name);
        }
    }
    table
});

/// The lengths (bit `n`: `n` bytes, bit 63: 63 or more) and last bytes (bit `b % 64`) of some
/// names.
#[derive(Clone, Copy, Default)]
struct Shape {
    lengths: u64,
    last_bytes: u64,
}

#[inline]
fn length_bit(name: &str) -> u64 {
    1 << name.len().min(63)
}

#[inline]
fn last_byte_bit(name: &str) -> u64 {
    name.as_bytes().last().map_or(0, |&last| 1 << (last % 64))
}

/// The wrapper a program name (last path component) runs, if it is one. Asked of every
/// command of every script: a map, not a walk through every name.
/// Inlined: the table's test, which rules out most programs, is made where they are asked
/// about; the map is looked up out of line.
#[inline]
pub fn wrapper(program: &str) -> Option<&'static Wrapper> {
    let first = *program.as_bytes().first()?;
    let shape = FIRST_BYTE_SHAPES[usize::from(first)];
    if shape.lengths & length_bit(program) == 0 || shape.last_bytes & last_byte_bit(program) == 0 {
        return None;
    }
    wrapper_named(program)
}

fn wrapper_named(program: &str) -> Option<&'static Wrapper> {
    BY_NAME.get(program).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses_and_names_each_wrapper_once() {
        let mut names: Vec<&str> = WRAPPERS
            .iter()
            .flat_map(|wrapper| wrapper.names.iter().map(String::as_str))
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert!(wrapper("sudo").is_some_and(|sudo| sudo.looks_up_users));
        assert_eq!(wrapper("gosu").map(|gosu| gosu.operands), Some(1));
        assert!(wrapper("make").is_none());
        assert!(wrapper("").is_none());
        for name in WRAPPERS.iter().flat_map(|wrapper| &wrapper.names) {
            assert!(wrapper(name).is_some(), "{name}");
        }
    }
}
