//! ARG and ENV scopes, WORKDIR, USER and SHELL as BuildKit tracks them through a stage.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::syntax::expand::{Env, Lexer, Platform};

/// ARGs BuildKit defines without a declaration (for a linux/amd64 build on linux/amd64).
pub const BUILTIN_ARGS: [(&str, &str); 12] = [
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("TARGETSTAGE", ""),
    ("BUILDKIT_SYNTAX", ""),
    ("BUILDKIT_CACHE_MOUNT_NS", ""),
    ("BUILDKIT_MULTI_PLATFORM", ""),
];

/// The PATH BuildKit gives a Linux stage whose image sets none; most images set exactly this.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The default shell of a Linux stage.
pub fn default_shell() -> Vec<String> {
    vec!["/bin/sh".into(), "-c".into()]
}

/// Whether a USER value, its variables expanded, runs as root exactly as no USER on a root
/// image does: uid 0 (`root` or `0`) with root's group (none named, `root` or `0`). The
/// runtime reads `root:staff` as uid 0 with another group, so it is not that user.
pub fn is_root_user(user: &str) -> bool {
    let is_zero = |name: &str| name == "root" || name == "0";
    match user.split_once(':') {
        Some((name, group)) => is_zero(name) && is_zero(group),
        None => is_zero(user),
    }
}

/// What an instruction sees besides ENV and ARG: its working directory, user and shell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// `None` until a WORKDIR in this file sets it (the base image decides).
    pub workdir: Option<String>,
    /// `None` until a USER in this file sets it.
    pub user: Option<String>,
    /// The SHELL argv, or the shell a `# hadolint shell=` pragma names.
    pub shell: Vec<String>,
}

/// An ENV or ARG value set by an instruction of the stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Index of the instruction in the stage.
    pub instruction: usize,
    pub kind: AssignmentKind,
    pub name: String,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssignmentKind {
    Env,
    Arg,
}

/// The full state a stage's instructions run in, as the builder walks them.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Shared with every instruction that ran in it: most instructions change nothing of it,
    /// and a copy for each would be several allocations (see [`Scope::context_mut`]).
    pub context: Arc<Context>,
    /// The meta ARGs (before the first FROM). A stage's ENV and ARG values are not held here
    /// but in the stage (its initial ENV and assignment list, see [`Scope::expand_after`]).
    pub args: BTreeMap<String, String>,
}

/// The ENV of a stage built on an image: the default PATH.
pub fn default_env() -> BTreeMap<String, String> {
    BTreeMap::from([("PATH".to_string(), DEFAULT_PATH.to_string())])
}

impl Scope {
    /// The scope at the start of a stage built on an external image.
    pub fn new() -> Self {
        Scope {
            context: Arc::new(Context {
                shell: default_shell(),
                ..Context::default()
            }),
            args: BTreeMap::new(),
        }
    }

    /// The context to change: copied first when an instruction already shares it.
    pub fn context_mut(&mut self) -> &mut Context {
        Arc::make_mut(&mut self.context)
    }

    /// Expands `word` as BuildKit does for ENV/WORKDIR/USER/...: ARG values overridden by
    /// ENV. On an expansion error the word is kept as written.
    pub fn expand(&self, word: &str, escape: char) -> String {
        self.expand_after(
            word,
            escape,
            &BTreeMap::new(),
            &[],
            &AssignedIndex::default(),
        )
    }

    /// [`expand`](Self::expand) in a stage that started with ENV `env` and whose
    /// instructions set the values `assigned` (ENV and ARG, in order) so far: those override
    /// the scope's own (the builder keeps a stage's values there only, not in a second copy).
    /// `index` finds them in a long list ([`AssignedIndex`]).
    pub fn expand_after(
        &self,
        word: &str,
        escape: char,
        env: &BTreeMap<String, String>,
        assigned: &[Assignment],
        index: &AssignedIndex,
    ) -> String {
        let lexer = Lexer {
            platform: Platform::Unix,
            ..Lexer::new(escape)
        };
        lexer
            .process_word(
                word,
                &Lookup {
                    env,
                    args: &self.args,
                    assigned,
                    index,
                },
            )
            .unwrap_or_else(|_| word.to_string())
    }

    /// `WORKDIR path`: relative paths resolve against the current directory.
    pub fn set_workdir(&mut self, path: &str) {
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            let base = self.context.workdir.as_deref().unwrap_or("/");
            format!("{}/{}", base.trim_end_matches('/'), path)
        };
        self.context_mut().workdir = Some(clean_path(&joined));
    }
}

/// The scope's variables for the expander: ENV first, then ARG (each the last assigned, else
/// the map's), without copying the maps.
struct Lookup<'a> {
    env: &'a BTreeMap<String, String>,
    args: &'a BTreeMap<String, String>,
    assigned: &'a [Assignment],
    index: &'a AssignedIndex,
}

impl Lookup<'_> {
    fn last_assigned(&self, kind: AssignmentKind, name: &str) -> Option<&str> {
        let position = match self.index.find(self.assigned, kind, name) {
            Some(found) => found,
            None => self
                .assigned
                .iter()
                .rposition(|assignment| assignment.kind == kind && assignment.name == name),
        };
        position.map(|at| self.assigned[at].value.as_str())
    }
}

/// Where the last ENV and the last ARG value of each name are in a stage's assignment list,
/// kept once the list is long: a short list is read from its end (most stages assign a few
/// values), but a file of thousands of ENV lines would be read over and over.
#[derive(Debug, Default)]
pub struct AssignedIndex {
    /// `None` while the list is short.
    last: Option<[std::collections::HashMap<String, usize>; 2]>,
    /// How many assignments of the list the index has read.
    indexed: usize,
}

impl AssignedIndex {
    /// From how many assignments a list is indexed.
    const FROM: usize = 64;

    /// Reads what `assigned` (the list the index follows, which only grows) added since the
    /// last call, once it is long.
    pub fn follow(&mut self, assigned: &[Assignment]) {
        if self.last.is_none() && assigned.len() < Self::FROM {
            return;
        }
        let last = self.last.get_or_insert_with(Default::default);
        for (at, assignment) in assigned.iter().enumerate().skip(self.indexed) {
            last[Self::slot(assignment.kind)].insert(assignment.name.clone(), at);
        }
        self.indexed = assigned.len();
    }

    /// Where the last `kind` value of `name` is in `assigned`; `None` when the index does
    /// not hold exactly that list (it is then read from its end).
    fn find(
        &self,
        assigned: &[Assignment],
        kind: AssignmentKind,
        name: &str,
    ) -> Option<Option<usize>> {
        let last = self
            .last
            .as_ref()
            .filter(|_| self.indexed == assigned.len())?;
        Some(last[Self::slot(kind)].get(name).copied())
    }

    fn slot(kind: AssignmentKind) -> usize {
        match kind {
            AssignmentKind::Env => 0,
            AssignmentKind::Arg => 1,
        }
    }
}

impl Env for Lookup<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.last_assigned(AssignmentKind::Env, name)
            .or_else(|| self.env.get(name).map(String::as_str))
            .or_else(|| self.last_assigned(AssignmentKind::Arg, name))
            .or_else(|| self.args.get(name).map(String::as_str))
    }
}

/// Lexically cleans an absolute path (`/a/./b/../c/` → `/a/c`), as Go's `path.Clean`.
pub fn clean_path(path: &str) -> String {
    // Built in place: each kept part is `/part`, and `..` cuts the last one off.
    let mut cleaned = String::with_capacity(path.len() + 1);
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                let last = cleaned.rfind('/').unwrap_or(0);
                cleaned.truncate(last);
            }
            part => {
                cleaned.push('/');
                cleaned.push_str(part);
            }
        }
    }
    if cleaned.is_empty() {
        cleaned.push('/');
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdir_resolves_relative_paths() {
        let mut scope = Scope::new();
        scope.set_workdir("app");
        assert_eq!(scope.context.workdir.as_deref(), Some("/app"));
        scope.set_workdir("src/../lib/");
        assert_eq!(scope.context.workdir.as_deref(), Some("/app/lib"));
        scope.set_workdir("/srv");
        assert_eq!(scope.context.workdir.as_deref(), Some("/srv"));
    }

    #[test]
    fn clean_path_is_go_path_clean_on_absolute_paths() {
        for (path, cleaned) in [
            ("/", "/"),
            ("//a//b/", "/a/b"),
            ("/a/./b/../c/", "/a/c"),
            ("/..", "/"),
            ("/../a/..", "/"),
            ("/a/b/../../..", "/"),
            ("/a/b/../../c", "/c"),
            ("/é/./x", "/é/x"),
        ] {
            assert_eq!(clean_path(path), cleaned, "{path}");
        }
    }

    #[test]
    fn env_overrides_args_in_expansion() {
        let mut scope = Scope::new();
        scope.args.insert("V".into(), "arg".into());
        let mut env = default_env();
        assert_eq!(
            scope.expand_after("x-${V}", '\\', &env, &[], &AssignedIndex::default()),
            "x-arg"
        );
        env.insert("V".into(), "env".into());
        assert_eq!(
            scope.expand_after("x-${V}", '\\', &env, &[], &AssignedIndex::default()),
            "x-env"
        );
        assert_eq!(scope.expand("${MISSING:-d}", '\\'), "d");
    }

    #[test]
    fn assigned_values_override_the_maps_env_first() {
        let mut scope = Scope::new();
        let env = BTreeMap::from([("E".to_string(), "map-env".to_string())]);
        scope.args.insert("A".into(), "map-arg".into());
        let set = |kind, name: &str, value: &str| Assignment {
            instruction: 0,
            kind,
            name: name.into(),
            value: value.into(),
        };
        let assigned = [
            set(AssignmentKind::Arg, "E", "arg"),
            set(AssignmentKind::Arg, "A", "arg-1"),
            set(AssignmentKind::Env, "B", "env"),
            set(AssignmentKind::Arg, "B", "arg"),
            set(AssignmentKind::Arg, "A", "arg-2"),
        ];
        let none = AssignedIndex::default();
        let expand = |word| scope.expand_after(word, '\\', &env, &assigned, &none);
        assert_eq!(expand("$E $A $B"), "map-env arg-2 env");
        assert_eq!(expand("$E $A"), "map-env arg-2");
        assert_eq!(
            scope.expand_after("$A", '\\', &env, &assigned[..1], &none),
            "map-arg"
        );
    }

    #[test]
    fn a_long_list_reads_through_its_index_as_from_its_end() {
        let scope = Scope::new();
        let env = default_env();
        let assigned: Vec<Assignment> = (0..200)
            .map(|at| Assignment {
                instruction: at,
                kind: if at % 3 == 0 {
                    AssignmentKind::Arg
                } else {
                    AssignmentKind::Env
                },
                name: format!("V{}", at % 7),
                value: at.to_string(),
            })
            .collect();
        let none = AssignedIndex::default();
        let mut index = AssignedIndex::default();
        for end in 0..=assigned.len() {
            index.follow(&assigned[..end]);
            for name in 0..8 {
                let word = format!("${{V{name}}}");
                let scanned = scope.expand_after(&word, '\\', &env, &assigned[..end], &none);
                let indexed = scope.expand_after(&word, '\\', &env, &assigned[..end], &index);
                assert_eq!(indexed, scanned, "{word} after {end}");
                // An index of a longer list is not read for a shorter one (an ENV's pairs
                // see the values from before it).
                let before = &assigned[..end / 2];
                let shorter = scope.expand_after(&word, '\\', &env, before, &index);
                assert_eq!(
                    shorter,
                    scope.expand_after(&word, '\\', &env, before, &none)
                );
            }
        }
        assert!(index.last.is_some());
    }
}
