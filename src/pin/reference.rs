//! What a `uses` reference names: the git repository that holds the action
//! or workflow, and the ref (tag, branch or commit) after `@`.
//!
//! `OWNER/REPO@REF` and `OWNER/REPO/PATH@REF` are on GitHub
//! (`https://github.com/OWNER/REPO`); a URL reference
//! `https://HOST/OWNER/REPO[/PATH]@REF`, the form Forgejo recommends, is on
//! its host. Local references (`./path`, `$/path`) and `docker://` images
//! are not git refs, and are never pinned.

/// Where GitHub shorthand references (`OWNER/REPO@REF`) live.
pub const GITHUB: &str = "https://github.com";

/// A reference to an action or workflow in a git repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remote {
    /// The repository's URL, `https://HOST/OWNER/REPO`.
    pub repository: String,
    /// The text before `@`.
    pub name: String,
    /// The ref after `@`: a tag, a branch or a commit.
    pub git_ref: String,
}

impl Remote {
    /// Reads `reference`; `None` for local and `docker://` references and
    /// for text that names no repository and ref.
    pub fn parse(reference: &str) -> Option<Self> {
        if reference.starts_with("./")
            || reference.starts_with("$/")
            || reference.starts_with("docker://")
        {
            return None;
        }
        let (name, git_ref) = reference.rsplit_once('@')?;
        if git_ref.is_empty() || git_ref.contains(char::is_whitespace) {
            return None;
        }
        let repository = match name.split_once("://") {
            Some((scheme, rest)) => {
                if scheme != "https" && scheme != "http" {
                    return None;
                }
                let mut parts = rest.split('/');
                let (host, owner, repo) = (parts.next()?, parts.next()?, parts.next()?);
                if [host, owner, repo].iter().any(|p| p.is_empty()) {
                    return None;
                }
                format!("{scheme}://{host}/{owner}/{repo}")
            }
            None => {
                let mut parts = name.split('/');
                let (owner, repo) = (parts.next()?, parts.next()?);
                if owner.is_empty() || repo.is_empty() || name.contains(char::is_whitespace) {
                    return None;
                }
                format!("{GITHUB}/{owner}/{repo}")
            }
        };
        Some(Self { repository, name: name.to_owned(), git_ref: git_ref.to_owned() })
    }

    /// The reference with `commit` in place of its ref.
    pub fn at(&self, commit: &str) -> String {
        format!("{}@{commit}", self.name)
    }

    /// Whether the ref is already a full commit id.
    pub fn is_commit(&self) -> bool {
        is_commit(&self.git_ref)
    }
}

/// Whether `text` is a full commit id: 40 hex digits (SHA-1), or 64 (SHA-256).
pub fn is_commit(text: &str) -> bool {
    (text.len() == 40 || text.len() == 64)
        && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `text` looks like an abbreviated commit id.
pub fn is_short_commit(text: &str) -> bool {
    (7..40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(reference: &str) -> String {
        Remote::parse(reference).map(|r| r.repository).unwrap_or_default()
    }

    #[test]
    fn finds_the_repository_of_each_form() {
        assert_eq!(repo("actions/cache@v4"), "https://github.com/actions/cache");
        assert_eq!(repo("github/codeql-action/init@v3"), "https://github.com/github/codeql-action");
        assert_eq!(
            repo("octo/shared/.github/workflows/ci.yml@v1"),
            "https://github.com/octo/shared"
        );
        assert_eq!(
            repo("https://code.forgejo.org/actions/checkout@v4"),
            "https://code.forgejo.org/actions/checkout"
        );
        assert_eq!(
            repo("https://code.forgejo.org/forgejo/shared/.forgejo/workflows/x.yml@v1.2.0"),
            "https://code.forgejo.org/forgejo/shared"
        );
        let remote = Remote::parse("actions/cache@v4").unwrap();
        assert_eq!(remote.git_ref, "v4");
        assert_eq!(remote.at("abc"), "actions/cache@abc");
    }

    #[test]
    fn local_docker_and_malformed_references_are_not_pinned() {
        for reference in [
            "./.github/actions/x",
            "$/x@v1",
            "docker://alpine:3@sha256",
            "actions/cache",
            "cache@v4",
            "/cache@v4",
            "actions/cache@",
            "https://host/only@v1",
            "ftp://host/a/b@v1",
        ] {
            assert_eq!(Remote::parse(reference), None, "{reference}");
        }
    }

    #[test]
    fn tells_commits_from_names() {
        assert!(is_commit("d23441a48e516b6c34aea4fa41551a30e30af803"));
        assert!(!is_commit("D23441A48E516B6C34AEA4FA41551A30E30AF803"));
        assert!(!is_commit("v4"));
        assert!(is_short_commit("d23441a"));
        assert!(!is_short_commit("v4.2.3"));
    }
}
