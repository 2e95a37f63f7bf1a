//! Version tags as actions name them: `v4`, `v4.2`, `v4.2.3`, `1.0.0`,
//! `v2.0.0-beta.1`, ordered as semantic versions.
//!
//! A major-only tag (`v4`) is a moving pointer to the newest `v4.x.y`; a
//! full one names one release. So `pin` records the most precise tag that
//! points at the commit, and `pin --update` picks the newest release of a
//! major line.

use std::cmp::Ordering;

/// A tag read as a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Whether the tag starts with `v`.
    pub prefixed: bool,
    /// One to three numbers: major, minor, patch.
    pub numbers: Vec<u64>,
    /// The pre-release part after `-`, if any.
    pub pre: Option<String>,
}

impl Version {
    /// Reads `tag`; `None` when it is not a version.
    pub fn parse(tag: &str) -> Option<Self> {
        let (prefixed, rest) = match tag.strip_prefix('v') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let rest = rest.split_once('+').map_or(rest, |(core, _build)| core);
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) if !pre.is_empty() => (core, Some(pre.to_owned())),
            Some(_) => return None,
            None => (rest, None),
        };
        let numbers = core
            .split('.')
            .map(|part| {
                let plain = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
                if plain { part.parse::<u64>().ok() } else { None }
            })
            .collect::<Option<Vec<u64>>>()?;
        (1..=3).contains(&numbers.len()).then_some(Self { prefixed, numbers, pre })
    }

    /// The major version.
    pub fn major(&self) -> u64 {
        self.numbers.first().copied().unwrap_or(0)
    }

    /// Whether this is a pre-release (`-rc.1`, `-beta`).
    pub fn is_pre_release(&self) -> bool {
        self.pre.is_some()
    }

    /// Whether `self` is `other` or a more precise tag of the same line:
    /// `v4.2.3` extends `v4` and `v4.2`.
    pub fn extends(&self, other: &Self) -> bool {
        self.prefixed == other.prefixed
            && self.numbers.len() >= other.numbers.len()
            && self.numbers.starts_with(&other.numbers)
    }

    fn padded(&self) -> [u64; 3] {
        let mut out = [0; 3];
        for (slot, n) in out.iter_mut().zip(&self.numbers) {
            *slot = *n;
        }
        out
    }
}

impl Ord for Version {
    /// Semantic version order; a release sorts after its pre-releases, and
    /// of two tags for one version (`v4`, `v4.0.0`) the more precise last.
    fn cmp(&self, other: &Self) -> Ordering {
        self.padded()
            .cmp(&other.padded())
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => compare_pre(a, b),
            })
            .then_with(|| self.numbers.len().cmp(&other.numbers.len()))
            .then_with(|| self.prefixed.cmp(&other.prefixed))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Pre-release identifiers compared as semver says: numbers numerically and
/// before words, fewer identifiers first.
fn compare_pre(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(tag: &str) -> Version {
        Version::parse(tag).unwrap_or_else(|| panic!("{tag} is a version"))
    }

    #[test]
    fn reads_the_forms_actions_use() {
        assert_eq!(v("v4").numbers, [4]);
        assert_eq!(v("v4.2.3").numbers, [4, 2, 3]);
        assert!(!v("1.0").prefixed);
        assert_eq!(v("v2.0.0-beta.1").pre.as_deref(), Some("beta.1"));
        assert_eq!(v("v1.2.3+build.5").numbers, [1, 2, 3]);
        for not in ["main", "v", "v1.2.3.4", "v1..2", "release-1", "v1-", "vx", "v01a"] {
            assert!(Version::parse(not).is_none(), "{not}");
        }
    }

    #[test]
    fn orders_as_semantic_versions() {
        let mut tags = ["v4.10.0", "v4.2.3", "v4", "v4.2.3-rc.1", "v4.2.3-rc.10", "v4.2.3-rc.2"]
            .map(v)
            .to_vec();
        tags.sort();
        let sorted: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
        assert_eq!(tags[0], v("v4"));
        assert_eq!(tags[1], v("v4.2.3-rc.1"), "{sorted:?}");
        assert_eq!(tags[2], v("v4.2.3-rc.2"));
        assert_eq!(tags[3], v("v4.2.3-rc.10"));
        assert_eq!(tags[4], v("v4.2.3"));
        assert_eq!(tags[5], v("v4.10.0"));
        assert!(v("v4.0.0") > v("v4"), "the precise tag of one version sorts last");
    }

    #[test]
    fn a_precise_tag_extends_its_line() {
        assert!(v("v4.2.3").extends(&v("v4")));
        assert!(v("v4.2.3").extends(&v("v4.2")));
        assert!(!v("v4.2.3").extends(&v("v4.3")));
        assert!(!v("4.2.3").extends(&v("v4")));
    }
}
