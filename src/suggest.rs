//! "Did you mean …?" for misspelt names.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A help line: "did you mean `x`?" when one is close, else the list of choices.
pub fn help(word: &str, candidates: &[&str]) -> String {
    match closest(word, candidates.iter().copied()) {
        Some(best) => format!("{MEAN_OPEN}{best}{MEAN_CLOSE}"),
        None => format!("expected one of {}", list(candidates)),
    }
}

/// How a "did you mean" help line starts and ends around its suggestion.
const MEAN_OPEN: &str = "did you mean `";
const MEAN_CLOSE: &str = "`?";

/// The name a "did you mean `x`?" help line suggests: `x`.
pub fn suggested(help: &str) -> Option<&str> {
    help.strip_prefix(MEAN_OPEN)?.strip_suffix(MEAN_CLOSE).filter(|s| !s.contains('`'))
}

/// `a`, `b` or `c`.
pub fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest("need", ["needs", "name"]), Some("needs"));
        assert_eq!(closest("unit_test", ["lint", "unit_tests"]), Some("unit_tests"));
        assert_eq!(closest("zzz", ["needs", "name"]), None);
        assert_eq!(help("xyz", &["a", "b", "c"]), "expected one of `a`, `b` or `c`");
        assert_eq!(suggested(&help("need", &["needs"])), Some("needs"));
        assert_eq!(suggested("expected one of `a` or `b`"), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }
}
