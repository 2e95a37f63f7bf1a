//! From a reference and its repository's refs to a lock entry: the commit
//! the ref names now, and the most precise tag there (`pin`), or the newest
//! release of the same major version (`pin --update`).

use super::lock::Entry;
use super::reference::{Remote, is_short_commit};
use super::remote::Listing;
use super::version::Version;
use crate::suggest;

/// Why a ref does not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No tag or branch has that name; the help line says what exists.
    Missing {
        /// The ref.
        git_ref: String,
        /// What to write instead.
        help: String,
    },
    /// A branch and a tag have that name.
    Ambiguous {
        /// The branch's head.
        branch: String,
        /// The tag's commit.
        tag: String,
    },
}

/// What the reference's ref names now.
pub fn resolve(remote: &Remote, listing: &Listing) -> Result<Entry, Problem> {
    let name = remote.git_ref.as_str();
    if remote.is_commit() {
        let tag = best_tag(listing, name, None);
        return Ok(Entry { commit: name.to_owned(), tag, branch: None });
    }
    match (listing.tags.get(name), listing.branches.get(name)) {
        (Some(tag), Some(branch)) if tag != branch => {
            Err(Problem::Ambiguous { branch: branch.clone(), tag: tag.clone() })
        }
        (Some(commit), _) => {
            let tag = best_tag(listing, commit, Some(name)).unwrap_or_else(|| name.to_owned());
            Ok(Entry { commit: commit.clone(), tag: Some(tag), branch: None })
        }
        (None, Some(commit)) => {
            Ok(Entry { commit: commit.clone(), tag: None, branch: Some(name.to_owned()) })
        }
        (None, None) => Err(missing(name, listing)),
    }
}

/// The outcome of `pin --update` for one reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    /// The entry it moves to (possibly the same).
    pub entry: Entry,
    /// A newer major version `--major` would move to.
    pub newer_major: Option<String>,
}

/// Moves `current`, the entry of `remote`, to the newest release of its
/// major version (of any, with `cross_major`). A reference that names a
/// commit stays; one that came from a branch or from a tag that is not a
/// version is resolved again.
pub fn update(
    remote: &Remote,
    current: &Entry,
    listing: &Listing,
    cross_major: bool,
) -> Result<Update, Problem> {
    let stays = |entry: Entry| Update { entry, newer_major: None };
    if remote.is_commit() {
        return Ok(stays(current.clone()));
    }
    let Some(now) = current.tag.as_deref().and_then(Version::parse) else {
        return resolve(remote, listing).map(stays);
    };
    let releases: Vec<(Version, &str)> = listing
        .tags
        .keys()
        .filter_map(|tag| Version::parse(tag).map(|v| (v, tag.as_str())))
        .filter(|(v, _)| v.prefixed == now.prefixed && !v.is_pre_release())
        .collect();
    let newest_of = |major: Option<u64>| {
        releases
            .iter()
            .filter(|(v, _)| major.is_none_or(|m| v.major() == m))
            .max_by(|a, b| a.0.cmp(&b.0))
    };
    let best = newest_of((!cross_major).then(|| now.major()));
    let newer_major = newest_of(None)
        .filter(|(v, _)| !cross_major && v.major() > now.major())
        .map(|(_, tag)| (*tag).to_owned());
    let current_tag = current.tag.as_deref().unwrap_or_default();
    let target = match best {
        // Never move back: the locked tag stays while it is the newest.
        Some((version, tag)) if *version > now || !listing.tags.contains_key(current_tag) => *tag,
        _ if listing.tags.contains_key(current_tag) => current_tag,
        _ => return Err(missing(current_tag, listing)),
    };
    let commit = listing.tags[target].clone();
    Ok(Update { entry: Entry { commit, tag: Some(target.to_owned()), branch: None }, newer_major })
}

/// The most precise tag at `commit`: for a ref that is a version (`v4`),
/// the newest release of its line there (`v4.2.3`); for a commit, the
/// newest release there, or any tag.
fn best_tag(listing: &Listing, commit: &str, named: Option<&str>) -> Option<String> {
    let line = named.and_then(Version::parse);
    if named.is_some() && line.is_none() {
        return named.map(str::to_owned);
    }
    let mut versions: Vec<(Version, &str)> = listing
        .tags_at(commit)
        .filter_map(|tag| Version::parse(tag).map(|v| (v, tag)))
        .filter(|(v, _)| line.as_ref().is_none_or(|line| v.extends(line)))
        .filter(|(v, _)| !v.is_pre_release() || line.as_ref().is_some_and(Version::is_pre_release))
        .collect();
    versions.sort_by(|a, b| a.0.cmp(&b.0));
    match versions.last() {
        Some((_, tag)) => Some((*tag).to_owned()),
        None => {
            named.map(str::to_owned).or_else(|| listing.tags_at(commit).next().map(str::to_owned))
        }
    }
}

/// The help for a ref the repository does not have.
fn missing(name: &str, listing: &Listing) -> Problem {
    let names: Vec<&str> =
        listing.tags.keys().chain(listing.branches.keys()).map(String::as_str).collect();
    let help = if is_short_commit(name) {
        "write the full 40-character commit id: Actions does not accept an abbreviated one"
            .to_owned()
    } else if let Some(close) = Version::parse(name)
        .is_none()
        .then(|| suggest::closest(name, names.iter().copied()))
        .flatten()
    {
        format!("did you mean `{close}`?")
    } else {
        let mut releases: Vec<Version> = listing
            .tags
            .keys()
            .filter_map(|t| Version::parse(t))
            .filter(|v| !v.is_pre_release())
            .collect();
        releases.sort();
        let mut majors: Vec<String> = Vec::new();
        for version in releases.iter().rev() {
            let tag = tag_text(version);
            if majors.len() < 3
                && !majors
                    .iter()
                    .any(|m| Version::parse(m).is_some_and(|m| m.major() == version.major()))
            {
                majors.push(tag);
            }
        }
        if majors.is_empty() {
            "the repository has no version tags; name a branch, a tag or a full commit id"
                .to_owned()
        } else {
            let shown: Vec<&str> = majors.iter().map(String::as_str).collect();
            format!("its newest releases are {}", suggest::list(&shown))
        }
    };
    Problem::Missing { git_ref: name.to_owned(), help }
}

fn tag_text(version: &Version) -> String {
    let numbers: Vec<String> = version.numbers.iter().map(u64::to_string).collect();
    let mut text = format!("{}{}", if version.prefixed { "v" } else { "" }, numbers.join("."));
    if let Some(pre) = &version.pre {
        text.push('-');
        text.push_str(pre);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(n: u8) -> String {
        format!("{n:02x}").repeat(20)
    }

    fn listing(tags: &[(&str, u8)], branches: &[(&str, u8)]) -> Listing {
        Listing {
            tags: tags.iter().map(|(t, c)| ((*t).to_owned(), sha(*c))).collect(),
            branches: branches.iter().map(|(b, c)| ((*b).to_owned(), sha(*c))).collect(),
        }
    }

    fn remote(reference: &str) -> Remote {
        Remote::parse(reference).expect("a reference")
    }

    fn tag(entry: &Entry) -> &str {
        entry.tag.as_deref().unwrap_or_default()
    }

    #[test]
    fn a_major_tag_resolves_to_its_most_precise_release() {
        let refs = listing(
            &[("v4", 3), ("v4.2", 3), ("v4.2.3", 3), ("v4.2.2", 2), ("v5.0.0-rc.1", 3)],
            &[],
        );
        let entry = resolve(&remote("a/b@v4"), &refs).unwrap();
        assert_eq!((entry.commit.as_str(), tag(&entry)), (sha(3).as_str(), "v4.2.3"));
        let entry = resolve(&remote("a/b@v4.2.2"), &refs).unwrap();
        assert_eq!(tag(&entry), "v4.2.2");
    }

    #[test]
    fn branches_commits_and_other_tags() {
        let refs = listing(&[("stable", 1), ("v1.0.0", 2)], &[("main", 3)]);
        let entry = resolve(&remote("a/b@main"), &refs).unwrap();
        assert_eq!((entry.branch.as_deref(), entry.tag), (Some("main"), None));
        assert_eq!(tag(&resolve(&remote("a/b@stable"), &refs).unwrap()), "stable");
        let entry = resolve(&remote(&format!("a/b@{}", sha(2))), &refs).unwrap();
        assert_eq!(tag(&entry), "v1.0.0");
        let entry = resolve(&remote(&format!("a/b@{}", sha(9))), &refs).unwrap();
        assert_eq!(entry.tag, None);
    }

    #[test]
    fn missing_and_ambiguous_refs() {
        let refs = listing(&[("v1", 1), ("v1.0.0", 1), ("v2.1.0", 2), ("dev", 4)], &[("dev", 3)]);
        let Err(Problem::Missing { help, .. }) = resolve(&remote("a/b@v3"), &refs) else {
            panic!("v3 is missing")
        };
        assert_eq!(help, "its newest releases are `v2.1.0` or `v1.0.0`");
        let Err(Problem::Missing { help, .. }) = resolve(&remote("a/b@deb"), &refs) else {
            panic!("missing")
        };
        assert_eq!(help, "did you mean `dev`?");
        let Err(Problem::Missing { help, .. }) = resolve(&remote("a/b@0123abcd"), &refs) else {
            panic!("missing")
        };
        assert!(help.contains("full 40-character"));
        assert_eq!(
            resolve(&remote("a/b@dev"), &refs),
            Err(Problem::Ambiguous { branch: sha(3), tag: sha(4) })
        );
    }

    #[test]
    fn update_moves_within_the_major_unless_told_otherwise() {
        let refs = listing(
            &[("v4.1.0", 1), ("v4.2.3", 2), ("v4.10.0", 3), ("v5.0.0", 4), ("v4.11.0-rc.1", 5)],
            &[],
        );
        let current = Entry { commit: sha(1), tag: Some("v4.1.0".to_owned()), branch: None };
        let moved = update(&remote("a/b@v4"), &current, &refs, false).unwrap();
        assert_eq!(tag(&moved.entry), "v4.10.0");
        assert_eq!(moved.entry.commit, sha(3));
        assert_eq!(moved.newer_major.as_deref(), Some("v5.0.0"));
        let crossed = update(&remote("a/b@v4"), &current, &refs, true).unwrap();
        assert_eq!(tag(&crossed.entry), "v5.0.0");
        assert_eq!(crossed.newer_major, None);
    }

    #[test]
    fn update_follows_a_moved_tag_and_never_moves_back() {
        let current = Entry { commit: sha(1), tag: Some("v4.2.3".to_owned()), branch: None };
        let refs = listing(&[("v4.2.3", 7), ("v4.1.0", 1)], &[]);
        let moved = update(&remote("a/b@v4"), &current, &refs, false).unwrap();
        assert_eq!((moved.entry.commit.as_str(), tag(&moved.entry)), (sha(7).as_str(), "v4.2.3"));
        let gone = listing(&[("v3.0.0", 1)], &[]);
        assert!(matches!(
            update(&remote("a/b@v4"), &current, &gone, false),
            Err(Problem::Missing { .. })
        ));
    }
}
