//! "Did you mean" hints as BuildKit gives them: the closest candidate within edit distance 2,
//! compared without regard to ASCII case.

/// The candidate closest to `value`, if one is within edit distance 2 (the first of equals).
pub fn closest<'a, S>(value: &str, candidates: impl IntoIterator<Item = &'a S>) -> Option<&'a S>
where
    S: AsRef<str> + ?Sized + 'a,
{
    let value = value.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                levenshtein(&value, &candidate.as_ref().to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance < 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The number of single-character edits that turn `a` into `b`.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // Two rows of the table, swapped after each character of `a`.
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_candidates_only() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(
            closest("FRM", ["from", "run"].iter().copied()),
            Some("from")
        );
        assert_eq!(closest("zzzzzz", ["from"].iter().copied()), None);
        assert_eq!(
            closest("ssh-sever", ["ssh-server", "HC002"].iter().copied()),
            Some("ssh-server")
        );
    }
}
