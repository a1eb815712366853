//! SEC005 runs-as-root: the image the build ships runs as root because no USER is ever set.
//!
//! Only the shipped stage counts (the target, or the last stage, and the stages it is built
//! FROM): build stages may run as root. The base must be an image the catalog
//! (`rules/catalog/images.toml`) knows to run as root: `scratch` (nothing to run as) and images
//! with the `nonroot` trait (distroless `:nonroot`, Chainguard) are exempt, Windows images
//! too (their default user is not root), and so are bases the catalog does not know, which
//! may set a USER of their own. A file that drops privileges at start (`gosu`, `su-exec`,
//! `setpriv`, `runuser`, `s6-setuidgid`, `chpst -u`) is exempt: its service does not run as
//! root. A start script the linter cannot read may switch users too, but the image still
//! starts as root, which is what is reported. An explicit `USER root` at the end is DL3002's.
//! Reported at the shipped stage's FROM.

use crate::model::Stage;
use crate::rules::{Diagnostic, Family, LintContext, Rule, RuleMeta, Severity};
use crate::syntax::byte_scan::{self, Marks};
use crate::syntax::{Arguments, Keyword};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC005",
        name: "runs-as-root",
        severity: Severity::Warning,
        family: Family::Security,
        layer: None,
        fixable: false,
        default_enabled: true,
        summary: "the shipped image runs as root: no USER is set",
        doc: include_str!("../../../rules/SEC005.md"),
    },
    check,
};

/// Programs that start a service as another user.
const PRIVILEGE_DROPPERS: [&str; 8] = [
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "s6-setuidgid",
    "setuidgid",
    "chpst",
    "suexec",
];

fn check(context: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(target) = context
        .model
        .target
        .and_then(|index| context.model.stages.get(index))
    else {
        return;
    };
    let shipped: Vec<&Stage> = shipped_chain(context, target);
    let Some(root) = shipped.last() else {
        return;
    };
    let runs_as_root = root.base.stage.is_none()
        && !root.base.is_scratch()
        && root
            .image
            .as_ref()
            .is_some_and(|image| !image.has_trait("nonroot") && !image.has_trait("windows"));
    if !runs_as_root {
        return;
    }
    let mut instructions = shipped
        .iter()
        .flat_map(|stage| &stage.instructions)
        .map(|model| context.syntax(model));
    // A USER first: it is one comparison per instruction, the tools a scan of their text.
    if instructions
        .clone()
        .any(|instruction| instruction.kind == Keyword::User)
    {
        return;
    }
    if instructions.any(|instruction| names_privilege_dropper(&instruction.original)) {
        return;
    }
    let span = context
        .dockerfile
        .instructions()
        .find(|from| from.span == target.span)
        .and_then(|from| match &from.arguments {
            Arguments::Words(words) => words.first().map(|word| word.span),
            _ => None,
        })
        .unwrap_or(target.span);
    out.push(
        context.report(
            &RULE.meta,
            span,
            match target.name.as_deref() {
                Some(name) => crate::rules::message(&[
                    "the image runs as root: no USER is set in stage `",
                    name,
                    "` or a stage it is built FROM; add a non-root user and `USER` it",
                ]),
                None => {
                    "the image runs as root: no USER is set in the final stage or a stage it is \
                     built FROM; add a non-root user and `USER` it"
                        .to_string()
                }
            },
        ),
    );
}

/// Whether `text` names a tool of [`PRIVILEGE_DROPPERS`] by a whole word (not `gosu` in
/// `gosu-build`): a run of ASCII letters, digits, `-` and `_` (any other byte, a non-ASCII
/// character's too, separates words). This reads every instruction of the shipped stages
/// without a copy: every tool's name holds an `s`, so only the words around an `s` or `S`
/// (found eight bytes at a time, see [`LetterS`]) are compared.
fn names_privilege_dropper(text: &str) -> bool {
    let bytes = text.as_bytes();
    let is_word_byte = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
    // `from` is 0 or the end of the last word read (a separator): no word starts before it,
    // and an `s` before it was read with its word.
    let mut from = 0;
    for at in LetterS::new(bytes) {
        // Every tool has an `s` before an `e`, `u`, `t` or `6`: the word around any other `s`
        // is not read (unless another `s` of it is such an `s`).
        if at < from
            || !matches!(
                bytes.get(at + 1).map(u8::to_ascii_lowercase),
                Some(b'e' | b'u' | b't' | b'6')
            )
        {
            continue;
        }
        let start = bytes[from..at]
            .iter()
            .rposition(|&byte| !is_word_byte(byte))
            .map_or(from, |separator| from + separator + 1);
        let end = bytes[at..]
            .iter()
            .position(|&byte| !is_word_byte(byte))
            .map_or(bytes.len(), |separator| at + separator);
        let word = &bytes[start..end];
        // A tool's length first: one test rather than a comparison per tool.
        if PRIVILEGE_DROPPERS
            .iter()
            .any(|tool| tool.len() == word.len())
            && PRIVILEGE_DROPPERS
                .iter()
                .any(|tool| word.eq_ignore_ascii_case(tool.as_bytes()))
        {
            return true;
        }
        from = end;
    }
    false
}

/// The positions of `s` and `S` in a text, in order, found by testing eight bytes at once in
/// a `u64` ([`byte_scan`]): an `s` is about one byte in twenty-five of a Dockerfile, and a
/// `memchr2` call per `s` cost more than this whole scan.
struct LetterS<'b> {
    bytes: &'b [u8],
    /// Where the next eight bytes to test start.
    next_chunk: usize,
    /// Where the bytes of `found` start.
    chunk_start: usize,
    /// The `s` and `S` bytes of that chunk not returned yet.
    found: Marks,
}

impl<'b> LetterS<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        LetterS {
            bytes,
            next_chunk: 0,
            chunk_start: 0,
            found: Marks::default(),
        }
    }

    /// The marks of the bytes of `chunk` that are `s` or `S`: setting bit 5 makes `S` an `s`,
    /// and no other byte one.
    fn mask(chunk: u64) -> u64 {
        byte_scan::bytes_equal(chunk | (0x0101_0101_0101_0101 * 0x20), b's')
    }
}

impl Iterator for LetterS<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            if let Some(at) = self.found.next() {
                return Some(self.chunk_start + at);
            }
            let rest = self
                .bytes
                .get(self.next_chunk..)
                .filter(|rest| !rest.is_empty())?;
            let chunk = match rest.first_chunk::<8>() {
                Some(chunk) => *chunk,
                None => {
                    // The last bytes padded with zeros, which are no `s`.
                    let mut chunk = [0u8; 8];
                    chunk[..rest.len()].copy_from_slice(rest);
                    chunk
                }
            };
            self.chunk_start = self.next_chunk;
            self.next_chunk += 8;
            self.found = Marks(Self::mask(u64::from_le_bytes(chunk)));
        }
    }
}

/// The target and the in-file stages it is built FROM, nearest first.
fn shipped_chain<'a>(context: &LintContext<'a>, target: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![target];
    let mut current = target;
    while let Some(base) = current
        .base
        .stage
        .and_then(|index| context.model.stages.get(index))
    {
        if chain.iter().any(|seen| seen.index == base.index) {
            break;
        }
        chain.push(base);
        current = base;
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::{LetterS, PRIVILEGE_DROPPERS, names_privilege_dropper};

    /// Every byte value at every place of a chunk, and texts of every length around a chunk's.
    #[test]
    fn letter_s_finds_exactly_the_s_bytes() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for byte in 0..=u8::MAX {
            for length in 1..=17 {
                for place in 0..length {
                    let mut text = vec![b'a'; length];
                    text[place] = byte;
                    if place > 0 {
                        text[place - 1] = b's';
                    }
                    texts.push(text);
                }
            }
        }
        texts.push(Vec::new());
        texts.push(b"sSsSsSsSsSsSsSsSsS".to_vec());
        for text in texts {
            let expected: Vec<usize> = (0..text.len())
                .filter(|&at| matches!(text[at], b's' | b'S'))
                .collect();
            assert_eq!(
                LetterS::new(&text).collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
        }
    }

    /// The search reads only words around an `s` followed by `e`, `u`, `t` or `6`: a tool
    /// added to the list without one would never be found.
    #[test]
    fn every_privilege_dropper_is_found() {
        for tool in PRIVILEGE_DROPPERS {
            assert!(names_privilege_dropper(tool), "{tool}");
            assert!(names_privilege_dropper(&format!(
                "CMD [\"{}\"]",
                tool.to_uppercase()
            )));
        }
    }

    #[test]
    fn privilege_droppers_are_whole_words_in_any_case() {
        assert!(names_privilege_dropper("ENTRYPOINT [\"gosu\", \"app\"]"));
        assert!(names_privilege_dropper("CMD exec SU-EXEC app run"));
        assert!(names_privilege_dropper("CMD chpst -u app:app /run"));
        assert!(names_privilege_dropper("RUN s6-setuidgid"));
        assert!(names_privilege_dropper("CMD é·gosu·é"));
        assert!(!names_privilege_dropper("RUN make gosu-build"));
        assert!(!names_privilege_dropper("RUN ./my_gosu"));
        assert!(!names_privilege_dropper("RUN go su"));
        assert!(!names_privilege_dropper(""));
        assert!(names_privilege_dropper("gosu"));
        assert!(names_privilege_dropper("x;gosu"));
        assert!(!names_privilege_dropper("xs gosux s"));
        // An `s` passed over does not start a word: `sgosu` is one word.
        assert!(!names_privilege_dropper("RUN sgosu"));
        assert!(names_privilege_dropper("RUN sa-sx Runuser"));
    }
}
