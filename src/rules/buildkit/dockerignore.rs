//! A build context's ignore file (`.dockerignore`, or `<Dockerfile>.dockerignore` next to the
//! Dockerfile) read and matched the way Docker's `patternmatcher` does: one pattern a line,
//! `#` comments, `!` re-includes, paths cleaned and made relative to the context root, `*`
//! and `?` within one path component, `**` across components, and a pattern matching a
//! directory matching everything below it. The last pattern that matches decides.

use globset::{GlobBuilder, GlobMatcher};

#[derive(Clone, Debug)]
pub struct DockerIgnore {
    /// The file the patterns come from (for messages).
    pub file: String,
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug)]
struct Pattern {
    text: String,
    exclusion: bool,
    matcher: Option<GlobMatcher>,
    /// How many path components the pattern has: a path is also matched by its first this
    /// many components (its parent directory).
    depth: usize,
}

impl Pattern {
    fn new(text: String, exclusion: bool) -> Pattern {
        // Braces are literal in patternmatcher; globset would read them as alternatives.
        let escaped = text.replace('{', "[{]").replace('}', "[}]");
        let matcher = GlobBuilder::new(&escaped)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .ok()
            .map(|glob| glob.compile_matcher());
        let depth = text.split('/').count();
        Pattern {
            text,
            exclusion,
            matcher,
            depth,
        }
    }

    /// The pattern matches `path` or the directory of its first `depth` components.
    fn matches(&self, path: &str) -> bool {
        let Some(matcher) = &self.matcher else {
            return false;
        };
        if matcher.is_match(path) {
            return true;
        }
        let components: Vec<&str> = path.split('/').collect();
        components.len() > self.depth && matcher.is_match(components[..self.depth].join("/"))
    }
}

/// `filepath.Clean` for slash paths, relative to the root: `./a//b/../c/` → `a/c`, `/` → `.`.
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

impl DockerIgnore {
    pub fn parse(file: &str, text: &str) -> DockerIgnore {
        let mut patterns = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let exclusion = pattern.starts_with('!');
            if exclusion {
                pattern = pattern[1..].trim();
            }
            if pattern.is_empty() {
                continue;
            }
            patterns.push(Pattern::new(clean(pattern), exclusion));
        }
        DockerIgnore {
            file: file.to_string(),
            patterns,
        }
    }

    /// Whether the context path `path` (cleaned, relative) is left out of the context, and no
    /// later `!` pattern can bring back it or anything below it.
    pub fn ignores(&self, path: &str) -> bool {
        if path == "." {
            return self.ignores_root();
        }
        let Some(last) = self
            .patterns
            .iter()
            .rposition(|pattern| pattern.matches(path))
        else {
            return false;
        };
        if self.patterns[last].exclusion {
            return false;
        }
        !self.patterns[last + 1..]
            .iter()
            .filter(|pattern| pattern.exclusion)
            .any(|pattern| may_reinclude(pattern, path))
    }

    /// The whole context is left out: a `*`, `**` or `**/*` pattern, with no `!` after it.
    fn ignores_root(&self) -> bool {
        let Some(last) = self.patterns.iter().rposition(|pattern| {
            !pattern.exclusion && matches!(pattern.text.as_str(), "*" | "**" | "**/*")
        }) else {
            return false;
        };
        !self.patterns[last + 1..]
            .iter()
            .any(|pattern| pattern.exclusion)
    }
}

/// Whether the `!` pattern may bring back `path` or something below it.
fn may_reinclude(pattern: &Pattern, path: &str) -> bool {
    if pattern.matches(path) || pattern.text.starts_with(&format!("{path}/")) {
        return true;
    }
    if has_wildcard(path) {
        let matcher = GlobBuilder::new(path)
            .literal_separator(true)
            .build()
            .map(|glob| glob.compile_matcher());
        if matcher.is_ok_and(|matcher| matcher.is_match(&pattern.text)) {
            return true;
        }
    }
    if has_wildcard(&pattern.text) {
        // The literal directories before the first wildcard: below the path, or above it.
        let literal: Vec<&str> = pattern
            .text
            .split('/')
            .take_while(|part| !has_wildcard(part))
            .collect();
        let prefix = literal.join("/");
        return prefix.is_empty()
            || prefix.starts_with(&format!("{path}/"))
            || path.starts_with(&format!("{prefix}/"))
            || prefix == path;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_docker() {
        let ignore = DockerIgnore::parse(
            ".dockerignore",
            "# comment\nDockerfile\nnode_modules\n*.log\n**/*.tmp\n",
        );
        assert!(ignore.ignores("Dockerfile"));
        assert!(ignore.ignores("node_modules/x/y.js"));
        assert!(ignore.ignores("a.log"));
        assert!(!ignore.ignores("dir/a.log"));
        assert!(ignore.ignores("dir/sub/a.tmp"));
        assert!(!ignore.ignores("src/Dockerfile"));
        assert!(!ignore.ignores("."));
    }

    #[test]
    fn exclusions_bring_files_back() {
        let ignore = DockerIgnore::parse(".dockerignore", "sub\n!sub/a.txt\n");
        assert!(!ignore.ignores("sub/a.txt"));
        assert!(!ignore.ignores("sub"));
        assert!(!ignore.ignores("sub/*.txt"));
        assert!(ignore.ignores("sub/b.txt"));
        let before = DockerIgnore::parse(".dockerignore", "!sub/b.txt\nsub\n");
        assert!(before.ignores("sub/a.txt"));
        assert!(before.ignores("sub"));
    }

    #[test]
    fn the_root_only_by_catch_all_patterns() {
        assert!(DockerIgnore::parse("x", "*\n").ignores("."));
        assert!(DockerIgnore::parse("x", "**\n").ignores("."));
        assert!(!DockerIgnore::parse("x", ".*\n").ignores("."));
        assert!(!DockerIgnore::parse("x", "**\n!Dockerfile\n").ignores("."));
        assert!(!DockerIgnore::parse("x", "**\n!Dockerfile\n").ignores("Dockerfile"));
    }
}
