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
        self.expand_after(word, escape, &BTreeMap::new(), &[])
    }

    /// [`expand`](Self::expand) in a stage that started with ENV `env` and whose
    /// instructions set the values `assigned` (ENV and ARG, in order) so far: those override
    /// the scope's own (the builder keeps a stage's values there only, not in a second copy).
    pub fn expand_after(
        &self,
        word: &str,
        escape: char,
        env: &BTreeMap<String, String>,
        assigned: &[Assignment],
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
}

impl Lookup<'_> {
    fn last_assigned(&self, kind: AssignmentKind, name: &str) -> Option<&str> {
        self.assigned
            .iter()
            .rev()
            .find(|assignment| assignment.kind == kind && assignment.name == name)
            .map(|assignment| assignment.value.as_str())
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
        assert_eq!(scope.expand_after("x-${V}", '\\', &env, &[]), "x-arg");
        env.insert("V".into(), "env".into());
        assert_eq!(scope.expand_after("x-${V}", '\\', &env, &[]), "x-env");
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
        let expand = |word| scope.expand_after(word, '\\', &env, &assigned);
        assert_eq!(expand("$E $A $B"), "map-env arg-2 env");
        assert_eq!(expand("$E $A"), "map-env arg-2");
        assert_eq!(
            scope.expand_after("$A", '\\', &env, &assigned[..1]),
            "map-arg"
        );
    }
}
