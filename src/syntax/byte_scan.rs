//! Finding bytes eight at a time, as the bits of a `u64`: Dockerfile lines and words are
//! short, and a vector search (`memchr`) started for each of them costs more to set up than
//! this costs to run.

/// One in each byte of a word.
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;
/// The low seven bits of each byte.
const LOW_BITS: u64 = EACH_BYTE * 0x7f;

/// The high bit of each byte of `word` that is zero, and no other bit. Exact, unlike the
/// shorter "has a zero byte" test, whose carries can mark bytes after a match: a byte's low
/// seven bits plus 0x7f carry into its high bit (and never into the next byte) unless they
/// are all zero; the byte's own high bit marks it otherwise. What is left unset is a zero.
#[inline]
pub fn zero_bytes(word: u64) -> u64 {
    !(((word & LOW_BITS) + LOW_BITS) | word | LOW_BITS)
}

/// The high bit of each byte of `word` that is `byte`, and no other bit.
#[inline]
pub fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ (EACH_BYTE * u64::from(byte)))
}

/// The high bit of each byte of `word` below `limit` (at most 0x80), and no other bit: a
/// byte's low seven bits plus `0x80 - limit` carry into its high bit (never into the next
/// byte) when they are `limit` or more; a byte with its own high bit set is 0x80 or more.
#[inline]
pub fn bytes_below(word: u64, limit: u8) -> u64 {
    debug_assert!(limit <= 0x80);
    !(((word & LOW_BITS) + EACH_BYTE * u64::from(0x80 - limit)) | word | LOW_BITS)
}

/// The offsets in their word (0 to 7, little-endian: byte `i` is bits `8 * i..8 * i + 8`) of
/// the bytes a mark of [`zero_bytes`] or [`bytes_equal`] sets, in order.
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks(pub u64);

impl Iterator for Marks {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let at = self.0.trailing_zeros() as usize / 8;
        self.0 &= self.0 - 1;
        Some(at)
    }
}

/// Whether `test` holds for the offset of some `needle` byte of `haystack`; it is asked of
/// each in order until it does.
///
/// On x86_64 the search is memchr's SSE2 searcher, which every such CPU runs: it is set up once
/// for the text and goes on from each match with 16-byte tests. `memchr::memchr_iter`
/// dispatches each search through a pointer to the best routine the CPU has, which costs more
/// than the search when the matches are a few dozen bytes apart (the lines of a file).
pub fn any_position(haystack: &[u8], needle: u8, test: impl FnMut(usize) -> bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(searcher) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
        return searcher.iter(haystack).any(test);
    }
    memchr::memchr_iter(needle, haystack).any(test)
}

/// Calls `found` with the offset of each `needle` byte of `haystack`, in order, searching as
/// [`any_position`] does (a loop to the end, which compiles tighter than one that can stop).
pub fn for_each_position(haystack: &[u8], needle: u8, found: impl FnMut(usize)) {
    #[cfg(target_arch = "x86_64")]
    if let Some(searcher) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
        return searcher.iter(haystack).for_each(found);
    }
    memchr::memchr_iter(needle, haystack).for_each(found)
}

/// Where `needle` first occurs in `haystack` (as `str::find`), by a plain scan: the texts
/// searched this way (image tags, package names, ARG and ENV names) are short, and a
/// substring searcher costs more to set up than the scan.
pub fn find_short(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    haystack
        .windows(needle.len())
        .position(|window| window[0] == first && &window[1..] == rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_short_is_str_find() {
        for haystack in ["", "a", "3.12-alpine3.20", "aaab", "slim-bookworm", "ab"] {
            for needle in ["", "a", "alpine", "ab", "aab", "-", "bookworm", "abc"] {
                assert_eq!(
                    find_short(haystack.as_bytes(), needle.as_bytes()),
                    haystack.find(needle),
                    "{haystack:?} {needle:?}"
                );
            }
        }
    }

    /// Every limit, every byte value at every place of a word, among every other byte value.
    #[test]
    fn bytes_below_marks_exactly_the_smaller_bytes() {
        for limit in 0..=0x80u8 {
            for byte in 0..=u8::MAX {
                for other in [0, limit.wrapping_sub(1), limit, 0x7f, 0x80, 0xff] {
                    for place in 0..8 {
                        let mut bytes = [other; 8];
                        bytes[place] = byte;
                        let word = u64::from_le_bytes(bytes);
                        let expected: Vec<usize> = (0..8).filter(|&i| bytes[i] < limit).collect();
                        let found: Vec<usize> = Marks(bytes_below(word, limit)).collect();
                        assert_eq!(found, expected, "{bytes:?} below {limit}");
                    }
                }
            }
        }
    }

    /// Every byte value sought, at every place of a word, among every other byte value.
    #[test]
    fn marks_are_exactly_the_bytes_sought() {
        for sought in 0..=u8::MAX {
            for other in 0..=u8::MAX {
                for place in 0..8 {
                    let mut bytes = [other; 8];
                    bytes[place] = sought;
                    // A byte just below the match tests the carries into the next byte.
                    if place > 0 {
                        bytes[place - 1] = sought.wrapping_sub(1);
                    }
                    let word = u64::from_le_bytes(bytes);
                    let expected: Vec<usize> = (0..8).filter(|&i| bytes[i] == sought).collect();
                    let found: Vec<usize> = Marks(bytes_equal(word, sought)).collect();
                    assert_eq!(found, expected, "{bytes:?} {sought}");
                }
            }
        }
    }
}
