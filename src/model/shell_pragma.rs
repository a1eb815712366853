//! `# hadolint shell=<shell>` / `# dlayer shell=<shell>`: the shell the RUN scripts are
//! written for, declared in a comment (for base images whose default shell is not `/bin/sh`,
//! such as Windows images, where no SHELL instruction says so).
//!
//! The builder treats the pragma like a SHELL instruction naming that program: from its line
//! to the end of the stage (a later SHELL wins, a stage built FROM this one inherits it). A
//! pragma before the first FROM is the default shell of every stage built on an image.

/// The shell a pragma comment (the text from `#` on) names, if it is one.
pub fn parse(comment: &str) -> Option<&str> {
    // Read by bytes up to the first letter: every comment of every file is asked, and the
    // generic prefix and trim calls cost more than the check. Unicode blanks (rare) are left
    // to `trim_start`.
    if comment.as_bytes().first() != Some(&b'#') {
        return None;
    }
    let after_hash = &comment[1..];
    let blanks = after_hash
        .bytes()
        .take_while(|byte| matches!(byte, b' ' | b'\t'..=b'\r'))
        .count();
    let body = match after_hash.as_bytes().get(blanks) {
        Some(byte) if !byte.is_ascii() => after_hash.trim_start(),
        _ => &after_hash[blanks..],
    };
    // Most comments are prose: their first letter already tells they are no pragma.
    if !matches!(body.as_bytes().first(), Some(b'h' | b'd')) {
        return None;
    }
    let rest = body
        .strip_prefix("hadolint")
        .or_else(|| body.strip_prefix("dlayer"))?;
    // `#hadolint shell=x` needs no space after the `#`, but `# hadolintshell=x` is not a pragma.
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let shell = rest
        .trim_start()
        .strip_prefix("shell")?
        .trim_start()
        .strip_prefix('=')?
        .split_whitespace()
        .next()?;
    Some(shell)
}

/// The argv the pragma's shell stands for: POSIX shells take their script after `-c`, as the
/// default `/bin/sh -c` does; other programs (powershell, cmd) are kept as named, so the
/// script is known to be opaque.
pub fn shell_argv(shell: &str) -> Vec<String> {
    let argv = vec![shell.to_string()];
    if crate::shell::dialect(&argv) == crate::shell::Dialect::Posix {
        vec![shell.to_string(), "-c".to_string()]
    } else {
        argv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shell_of_hadolint_and_dlayer_pragmas() {
        assert_eq!(parse("# hadolint shell=powershell"), Some("powershell"));
        assert_eq!(parse("#hadolint shell = pwsh  # Windows"), Some("pwsh"));
        assert_eq!(parse("# dlayer shell=/bin/bash"), Some("/bin/bash"));
        assert_eq!(parse("# hadolint ignore=DL3003"), None);
        assert_eq!(parse("# hadolintshell=bash"), None);
        assert_eq!(parse("# hadolint shell="), None);
        assert_eq!(parse("# shell=bash"), None);
        assert_eq!(parse("#\u{a0}\thadolint shell=ash"), Some("ash"));
        assert_eq!(parse("#\x0b hadolint shell=ash"), Some("ash"));
        assert_eq!(parse("hadolint shell=ash"), None);
        assert_eq!(parse("#"), None);
    }

    #[test]
    fn posix_shells_take_their_script_after_dash_c() {
        assert_eq!(shell_argv("bash"), ["bash", "-c"]);
        assert_eq!(shell_argv("powershell"), ["powershell"]);
        assert_eq!(shell_argv("cmd"), ["cmd"]);
    }
}
