//! "Did you mean …?" for misspelt names, and lists and numbers in words.

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo: at most one edit in three characters, and at most one edit in two
/// of the longer of the two (`cj` may be `ci`, but `c` is not taken for `a`).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= limit && d * 2 <= length.max(c.chars().count()))
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
    joined(items, "or")
}

/// `a`, `b` and `c`.
pub fn all(items: &[&str]) -> String {
    joined(items, "and")
}

fn joined(items: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// A whole number as people write it: `10,080`.
pub fn number(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Edits from `a` to `b`: insertions, deletions, substitutions, and swaps
/// of two neighbouring characters (`tset` is one edit from `test`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: the distance between the first i of `a` and j of `b`.
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best =
                (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
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
        assert_eq!(closest("ture", ["true", "false"]), Some("true"));
        assert_eq!(closest("cj", ["ci"]), Some("ci"));
        assert_eq!(closest("lnt", ["lint", "test"]), Some("lint"));
        assert_eq!(closest("coverag", ["lint", "coverage"]), Some("coverage"));
        assert_eq!(closest("build", ["lint", "unit_tests", "coverage"]), None);
        assert_eq!(closest("c", ["a", "b"]), None);
        assert_eq!(closest("gitlab-ci", ["github", "gitlab"]), Some("gitlab"));
    }

    #[test]
    fn lists_and_numbers_read_as_words() {
        assert_eq!(list(&["lint", "unit_tests", "coverage"]), "`lint`, `unit_tests` or `coverage`");
        assert_eq!(all(&["os", "python"]), "`os` and `python`");
        assert_eq!(list(&["one"]), "`one`");
        assert_eq!(number(10_080u32), "10,080");
        assert_eq!(number(256u32), "256");
        assert_eq!(number(1_000_000u32), "1,000,000");
        assert_eq!(suggested(&help("need", &["needs"])), Some("needs"));
        assert_eq!(suggested("expected one of `a` or `b`"), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
        assert_eq!(distance("unit_tset", "unit_tests"), 2);
        assert_eq!(distance("tset", "test"), 1);
    }
}
