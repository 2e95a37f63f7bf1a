//! The tags and branches of a repository, as `git ls-remote` lists them.
//!
//! cigen runs the `git` command line rather than speaking HTTP itself, so
//! the user's git configuration applies: credentials and credential
//! helpers, proxies, and `url.<base>.insteadOf` rewrites (which is also how
//! the tests point `https://github.com/` at local repositories). Git never
//! prompts: `GIT_TERMINAL_PROMPT=0`, and its standard input is empty.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::process::{Command, Stdio};

/// What a repository's refs are, from one `git ls-remote`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// Tag name → the commit it points at (annotated tags peeled).
    pub tags: BTreeMap<String, String>,
    /// Branch name → its head commit.
    pub branches: BTreeMap<String, String>,
}

impl Listing {
    /// Reads the output of `git ls-remote --heads --tags`.
    pub fn parse(output: &str) -> Self {
        let mut listing = Self::default();
        let mut peeled: Vec<(String, String)> = Vec::new();
        for line in output.lines() {
            let Some((commit, name)) = line.split_once('\t') else { continue };
            let commit = commit.trim().to_owned();
            if let Some(tag) = name.strip_prefix("refs/tags/") {
                match tag.strip_suffix("^{}") {
                    Some(tag) => peeled.push((tag.to_owned(), commit)),
                    None => {
                        listing.tags.insert(tag.to_owned(), commit);
                    }
                }
            } else if let Some(branch) = name.strip_prefix("refs/heads/") {
                listing.branches.insert(branch.to_owned(), commit);
            }
        }
        // An annotated tag is a tag object; `^{}` names the commit it tags.
        for (tag, commit) in peeled {
            listing.tags.insert(tag, commit);
        }
        listing
    }

    /// The tags that point at `commit`.
    pub fn tags_at<'a>(&'a self, commit: &'a str) -> impl Iterator<Item = &'a str> {
        self.tags.iter().filter(move |(_, c)| *c == commit).map(|(t, _)| t.as_str())
    }
}

/// Why a repository could not be listed.
#[derive(Debug)]
pub enum Failure {
    /// `git` could not be started.
    NoGit(io::Error),
    /// The host could not be reached.
    Network(String),
    /// No repository there, or it needs credentials.
    Unknown(String),
    /// Anything else git reported.
    Other(String),
}

/// Runs `git ls-remote` for `repository`.
pub fn list(repository: &str) -> Result<Listing, Failure> {
    let output = Command::new("git")
        .args(["ls-remote", "--heads", "--tags", repository])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .map_err(Failure::NoGit)?;
    if output.status.success() {
        return Ok(Listing::parse(&String::from_utf8_lossy(&output.stdout)));
    }
    Err(classify(&String::from_utf8_lossy(&output.stderr)))
}

/// Lists every repository of `repositories`, a few at a time.
pub fn list_all(repositories: &[String]) -> HashMap<String, Result<Listing, Failure>> {
    const AT_ONCE: usize = 8;
    let mut results = HashMap::new();
    for batch in repositories.chunks(AT_ONCE) {
        std::thread::scope(|scope| {
            let running: Vec<_> = batch
                .iter()
                .map(|repository| (repository, scope.spawn(|| list(repository))))
                .collect();
            for (repository, handle) in running {
                let result = handle.join().unwrap_or_else(|_| {
                    Err(Failure::Other("the thread running git stopped".to_owned()))
                });
                results.insert(repository.clone(), result);
            }
        });
    }
    results
}

/// Sorts git's complaint into what the user can do about it; the detail is
/// git's first `fatal:` line, or else its last line.
fn classify(stderr: &str) -> Failure {
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let detail = lines
        .iter()
        .find_map(|l| l.strip_prefix("fatal: "))
        .or(lines.last().copied())
        .unwrap_or("git gave no reason")
        .to_owned();
    let text = stderr.to_lowercase();
    let network = [
        "could not resolve host",
        "could not resolve proxy",
        "failed to connect",
        "couldn't connect",
        "connection refused",
        "connection timed out",
        "connection reset",
        "operation timed out",
        "network is unreachable",
        "ssl certificate problem",
        "ssl connect error",
        "ssl_connect",
        "gnutls_handshake",
        "tls handshake",
    ];
    let unknown = [
        "not found",
        "does not appear to be a git repository",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "authentication failed",
        "access denied",
        "returned error: 403",
        "returned error: 401",
    ];
    if network.iter().any(|n| text.contains(n)) {
        Failure::Network(detail)
    } else if unknown.iter().any(|n| text.contains(n)) {
        Failure::Unknown(detail)
    } else {
        Failure::Other(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peels_annotated_tags_and_reads_branches() {
        let listing = Listing::parse(
            "1111111111111111111111111111111111111111\trefs/heads/main\n\
             2222222222222222222222222222222222222222\trefs/tags/v1\n\
             3333333333333333333333333333333333333333\trefs/tags/v1.0.0\n\
             4444444444444444444444444444444444444444\trefs/tags/v1.0.0^{}\n\
             5555555555555555555555555555555555555555\trefs/pull/1/head\n",
        );
        assert_eq!(listing.branches["main"], "1".repeat(40));
        assert_eq!(listing.tags["v1"], "2".repeat(40));
        assert_eq!(listing.tags["v1.0.0"], "4".repeat(40), "the tagged commit, not the tag object");
        assert_eq!(listing.tags.len(), 2);
        assert_eq!(listing.tags_at(&"4".repeat(40)).collect::<Vec<_>>(), ["v1.0.0"]);
    }

    #[test]
    fn tells_network_failures_from_unknown_repositories() {
        let network = "fatal: unable to access 'https://github.com/a/b/': Could not resolve host: github.com\n";
        assert!(
            matches!(classify(network), Failure::Network(d) if d.starts_with("unable to access"))
        );
        let missing = "remote: Repository not found.\nfatal: repository 'https://github.com/a/b/' not found\n";
        assert!(
            matches!(classify(missing), Failure::Unknown(d) if d == "repository 'https://github.com/a/b/' not found")
        );
        let local = "fatal: '/tmp/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";
        assert!(
            matches!(classify(local), Failure::Unknown(d) if d == "'/tmp/x' does not appear to be a git repository")
        );
        assert!(
            matches!(classify("fatal: something odd\n"), Failure::Other(d) if d == "something odd")
        );
    }
}
