//! [`Text`]: a word's text as a slice of the script it was read from.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// A script's text, shared by its words. `Rc`, not `Arc`: a file's model is built, linted and
/// dropped by the one worker that parsed it, and the counts of a non-atomic `Rc` cost nothing
/// next to the allocations they replace. Were models to cross threads, this would be `Arc`.
pub(super) type Shared = Rc<str>;

/// A word's text: a range of a script shared by every word read from it. A script of many
/// words is copied once, rather than each word into a string of its own (the parser's
/// largest source of allocations, and of frees when the model is dropped). Reads as a `str`.
#[derive(Clone)]
pub struct Text {
    source: Shared,
    start: u32,
    end: u32,
}

impl Text {
    /// The bytes `start..end` of `source`, which must lie on character boundaries.
    ///
    /// Always inlined: it is most of the building of every word.
    #[inline(always)]
    pub(super) fn slice(source: &Shared, start: usize, end: usize) -> Text {
        if source.get(start..end).is_none() {
            not_a_range_of(start, end);
        }
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => Text {
                source: Shared::clone(source),
                start,
                end,
            },
            // Past 4 GiB the offsets do not fit: the word gets a copy of its own.
            _ => Text::from(&source[start..end]),
        }
    }

    /// The text without `cut` bytes at each end, sharing the same source (`'a b'` → `a b`).
    /// The bytes cut must be whole characters (quotes are).
    #[inline]
    pub(super) fn trimmed(&self, cut: usize) -> Text {
        let (start, end) = (self.start as usize, self.end as usize);
        Text::slice(
            &self.source,
            start + cut,
            end.saturating_sub(cut).max(start + cut),
        )
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: `start..end` was checked to be a range of `source` on character boundaries
        // when the value was made (`slice`, `From`), the fields are private and never change,
        // and a `Shared` is immutable: the range stays valid UTF-8 within bounds. Slicing
        // with checks cost every reader of every word four bounds and boundary tests: a lint
        // of the 288-file sample ran 9M more instructions (352.6M -> 361.5M, LTO off).
        unsafe {
            self.source
                .get_unchecked(self.start as usize..self.end as usize)
        }
    }
}

/// The panic of [`Text::slice`], out of line: the check stays small enough to inline into
/// the building of every word.
#[cold]
#[inline(never)]
fn not_a_range_of(start: usize, end: usize) -> ! {
    panic!("a word's range {start}..{end} lies on character boundaries of its script")
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        let source: Shared = Shared::from(text);
        let len = u32::try_from(text.len()).expect("a word shorter than 4 GiB");
        Text {
            source,
            start: 0,
            end: len,
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::from(text.as_str())
    }
}

impl Deref for Text {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// Shown as the string it reads as.
impl fmt::Debug for Text {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), formatter)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), formatter)
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_read_as_their_range() {
        let script: Shared = Shared::from("apt-get install -y é");
        let word = Text::slice(&script, 8, 15);
        assert_eq!(word, "install");
        assert_eq!(word.len(), 7);
        assert_eq!(Text::slice(&script, 19, 21), "é");
        assert_eq!(Text::from("x".to_string()), Text::from("x"));
        assert_eq!(format!("{word:?} {word}"), "\"install\" install");
    }

    #[test]
    #[should_panic]
    fn ranges_inside_a_character_are_refused() {
        let script: Shared = Shared::from("é");
        Text::slice(&script, 1, 2);
    }
}
