//! `cigen pin`, against bare repositories in a temporary folder: a
//! test-local git configuration (`GIT_CONFIG_GLOBAL`, no system file)
//! rewrites `https://github.com/` and `https://code.forgejo.org/` to them
//! with `url.<base>.insteadOf`, and `GIT_ALLOW_PROTOCOL=file` refuses any
//! other transport, so nothing reaches the network.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Test;
use crate::harness::Run;

/// The folder of fake forges and the git configuration that points at it.
struct Forges {
    dir: tempfile::TempDir,
    /// Transports git may use; only local files unless a test widens it.
    allow: &'static str,
}

impl Forges {
    fn new() -> Self {
        let forges = Self { dir: tempfile::tempdir().expect("a temporary folder"), allow: "file" };
        let config = format!(
            "[url \"{root}/github/\"]\n\tinsteadOf = https://github.com/\n\
             [url \"{root}/forgejo/\"]\n\tinsteadOf = https://code.forgejo.org/\n",
            root = forges.root().display()
        );
        std::fs::write(forges.config(), config).expect("a git config");
        forges
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn config(&self) -> PathBuf {
        self.root().join("gitconfig")
    }

    /// A bare repository at `path` (`github/OWNER/REPO`, `forgejo/OWNER/REPO`).
    fn repo(&self, path: &str) -> Repo<'_> {
        let repo = Repo { git_dir: self.root().join(path), forges: self };
        repo.git(&["init", "--quiet", "--bare", &repo.git_dir.display().to_string()]);
        repo
    }

    /// The environment cigen runs in.
    fn env(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("GIT_CONFIG_GLOBAL", self.config().into_os_string()),
            ("GIT_CONFIG_NOSYSTEM", "1".into()),
            ("GIT_ALLOW_PROTOCOL", self.allow.into()),
            ("no_proxy", "*".into()),
            ("NO_PROXY", "*".into()),
        ]
    }

    /// Runs cigen in `test`'s project with this git configuration.
    fn run(&self, test: &Test, args: &[&str]) -> Run {
        let env = self.env();
        let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        test.run_with(args, &env)
    }
}

/// One bare repository.
struct Repo<'f> {
    git_dir: PathBuf,
    forges: &'f Forges,
}

impl Repo<'_> {
    fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .env("GIT_CONFIG_GLOBAL", self.forges.config())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z")
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8").trim().to_owned()
    }

    fn in_repo(&self, args: &[&str]) -> String {
        let dir = format!("--git-dir={}", self.git_dir.display());
        let mut all = vec![dir.as_str()];
        all.extend_from_slice(args);
        self.git(&all)
    }

    /// A new commit (with an empty tree); its id.
    fn commit(&self, message: &str) -> String {
        let tree = self.in_repo(&["hash-object", "-t", "tree", "-w", "--stdin"]);
        self.in_repo(&["commit-tree", &tree, "-m", message])
    }

    /// A lightweight tag, moved if it exists.
    fn tag(&self, name: &str, commit: &str) {
        self.in_repo(&["update-ref", &format!("refs/tags/{name}"), commit]);
    }

    /// An annotated tag, moved if it exists.
    fn annotated(&self, name: &str, commit: &str) {
        self.in_repo(&["tag", "--force", "--annotate", name, "--message", name, commit]);
    }

    fn branch(&self, name: &str, commit: &str) {
        self.in_repo(&["update-ref", &format!("refs/heads/{name}"), commit]);
    }

    /// A release: a commit tagged `tag`, and the major tag `vN` moved to it.
    fn release(&self, tag: &str) -> String {
        let commit = self.commit(&format!("{} {tag}", self.git_dir.display()));
        self.tag(tag, &commit);
        let major = tag.split('.').next().expect("a major");
        self.annotated(major, &commit);
        commit
    }
}

/// Forgejo's plumbing repositories, each with a `v4.2.2` release.
fn forgejo_plumbing(forges: &Forges) -> [String; 3] {
    [
        forges.repo("forgejo/actions/checkout").release("v4.2.2"),
        forges.repo("forgejo/forgejo/upload-artifact").release("v4.2.2"),
        forges.repo("forgejo/forgejo/download-artifact").release("v4.2.2"),
    ]
}

/// A Forgejo workflow with a URL-form action, a GitHub shorthand action, a
/// call to another repository's workflow and an artifact edge, and a
/// GitHub workflow with a third-party action.
const SPEC: &str = r#"
workflow "ci" {
    on { push }
    job "test" {
        uses "https://code.forgejo.org/actions/setup-python@v5" { with python-version="3.12"; }
        uses "actions/cache@v4" { with path="~/.cache" key="k"; }
        run "make test"
    }
    job "report" { run "make report"; }
    job "shared" { uses "https://code.forgejo.org/octo/shared/.forgejo/workflows/lint.yml@v1"; }
    artifact "results" path="out/" from="test" to="report"
}

workflow "release" {
    target "github"
    on { push { tags "v*" } }
    job "publish" {
        uses "octo/publish-action@v2" { with token="${{ secrets.TOKEN }}"; }
    }
    job "notify" { uses "octo/shared/.github/workflows/notify.yml@v1"; }
}
"#;

/// Every repository `SPEC` uses, with releases; the commits by name.
struct World {
    forges: Forges,
    setup_python: String,
    cache: String,
    shared: String,
    publish: String,
    plumbing: [String; 3],
}

impl World {
    fn new() -> Self {
        let forges = Forges::new();
        let setup_python = forges.repo("forgejo/actions/setup-python").release("v5.3.0");
        let cache_repo = forges.repo("github/actions/cache");
        cache_repo.release("v4.1.0");
        let cache = cache_repo.release("v4.2.3");
        let shared = forges.repo("forgejo/octo/shared").release("v1.0.1");
        let github_shared = forges.repo("github/octo/shared");
        github_shared.release("v1.4.0");
        let publish = forges.repo("github/octo/publish-action").release("v2.0.0");
        let plumbing = forgejo_plumbing(&forges);
        Self { forges, setup_python, cache, shared, publish, plumbing }
    }

    fn repo(&self, path: &str) -> Repo<'_> {
        Repo { git_dir: self.forges.root().join(path), forges: &self.forges }
    }

    fn run(&self, test: &Test, args: &[&str]) -> Run {
        self.forges.run(test, args)
    }
}

/// The `uses:` lines of a workflow file.
fn uses_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("uses:") || l.starts_with("- uses:"))
        .collect()
}

/// Whether a `uses:` line is `REF@<40 hex> # <version>`.
fn is_pinned(line: &str) -> bool {
    let Some((reference, comment)) = line.split_once(" # ") else { return false };
    let Some((_, commit)) = reference.rsplit_once('@') else { return false };
    commit.len() == 40
        && commit.bytes().all(|b| b.is_ascii_hexdigit())
        && !comment.trim().is_empty()
}

#[test]
fn pin_gen_and_check_pin_every_uses_line_on_forgejo_and_github() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    let run = world.run(&t, &["pin"]).code(0).stderr_has("wrote `cigen.lock`");
    for reference in [
        "https://code.forgejo.org/actions/checkout@v4",
        "https://code.forgejo.org/actions/setup-python@v5",
        "actions/cache@v4",
        "octo/publish-action@v2",
    ] {
        assert!(run.stderr.contains(&format!("pinned `{reference}` to")), "{}", run.stderr);
    }
    let lock = t.read("cigen.lock");
    for line in [
        format!("pin \"actions/cache@v4\" commit=\"{}\" tag=\"v4.2.3\"", world.cache),
        format!(
            "pin \"https://code.forgejo.org/actions/setup-python@v5\" commit=\"{}\" tag=\"v5.3.0\"",
            world.setup_python
        ),
        format!(
            "pin \"https://code.forgejo.org/octo/shared/.forgejo/workflows/lint.yml@v1\" commit=\"{}\" tag=\"v1.0.1\"",
            world.shared
        ),
        format!(
            "pin \"https://code.forgejo.org/actions/checkout@v4\" commit=\"{}\" tag=\"v4.2.2\"",
            world.plumbing[0]
        ),
        format!("pin \"octo/publish-action@v2\" commit=\"{}\" tag=\"v2.0.0\"", world.publish),
        // cigen's own GitHub plumbing is locked at the commit it ships with.
        "pin \"actions/checkout@v6\" commit=\"d23441a48e516b6c34aea4fa41551a30e30af803\" tag=\"v6.1.0\"".to_owned(),
    ] {
        assert!(lock.contains(&line), "no line {line}\nin\n{lock}");
    }
    assert_eq!(lock.matches("\npin ").count(), 9, "one entry per reference:\n{lock}");

    world.run(&t, &["gen"]).code(0);
    world.run(&t, &["check"]).code(0);
    let forgejo = t.read(".forgejo/workflows/ci.yml");
    let github = t.read(".github/workflows/release.yml");
    for text in [&forgejo, &github] {
        let lines = uses_lines(text);
        assert!(!lines.is_empty());
        for line in lines {
            assert!(is_pinned(line), "not pinned: {line}");
        }
    }
    assert!(forgejo.contains(&format!(
        "uses: https://code.forgejo.org/actions/setup-python@{} # v5.3.0",
        world.setup_python
    )));
    assert!(forgejo.contains(&format!(
        "uses: https://code.forgejo.org/forgejo/upload-artifact@{} # v4.2.2",
        world.plumbing[1]
    )));
    assert!(forgejo.contains(&format!(
        "uses: https://code.forgejo.org/octo/shared/.forgejo/workflows/lint.yml@{} # v1.0.1",
        world.shared
    )));
    assert!(github.contains(&format!("uses: octo/publish-action@{} # v2.0.0", world.publish)));
    assert!(github.contains("uses: octo/shared/.github/workflows/notify.yml@"));
    // What `render` prints is what `gen` wrote.
    let rendered = world.run(&t, &["render", "ci"]).code(0).stdout;
    assert_eq!(rendered, forgejo);
}

#[test]
fn without_a_lock_the_output_is_what_the_spec_says() {
    let t = Test::new().spec(SPEC);
    let rendered = t.run(&["render"]).code(0).stdout;
    assert!(rendered.contains("uses: actions/cache@v4\n"));
    assert!(rendered.contains("uses: https://code.forgejo.org/actions/checkout@v4\n"));
    t.run(&["pin", "--check"]).code(1).stderr_has("`cigen.lock` is missing");
}

#[test]
fn pinning_again_changes_nothing_even_when_newer_releases_exist() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let first = t.read("cigen.lock");
    world.repo("github/actions/cache").release("v4.3.0");
    let run = world.run(&t, &["pin"]).code(0).stderr_has("unchanged `cigen.lock`");
    assert!(!run.stderr.contains("pinned"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(t.read("cigen.lock"), first);
    world.run(&t, &["pin", "--check"]).code(0).stderr_has("ok: `cigen.lock` pins every reference");
}

#[test]
fn update_moves_to_the_newest_release_of_the_same_major() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    world.run(&t, &["gen"]).code(0);
    let cache = world.repo("github/actions/cache");
    let newer = cache.release("v4.10.0");
    cache.release("v4.9.1");
    cache.release("v5.0.0");
    cache.commit("a pre-release");
    let rc = cache.commit("v4.11.0-rc.1");
    cache.tag("v4.11.0-rc.1", &rc);
    // cigen's own plumbing is in the lock, so it moves too.
    let checkout = world.forges.repo("github/actions/checkout").release("v6.2.0");

    let run = world.run(&t, &["pin", "--update"]).code(0);
    assert_eq!(
        run.stdout,
        format!(
            "actions/cache@v4: v4.2.3 ({}) → v4.10.0 ({})\n\
             actions/checkout@v6: v6.1.0 (d23441a) → v6.2.0 ({})\n",
            &world.cache[..7],
            &newer[..7],
            &checkout[..7],
        )
    );
    run.stderr_has("note: `actions/cache@v4` has a newer major version, v5.0.0; `cigen pin --update --major actions/cache@v4` moves to it")
        .stderr_has("wrote `cigen.lock`");
    assert!(
        t.read("cigen.lock")
            .contains(&format!("pin \"actions/cache@v4\" commit=\"{newer}\" tag=\"v4.10.0\""))
    );
    // The workflows follow the lock.
    world.run(&t, &["check"]).code(1).stderr_has("is stale");
    world.run(&t, &["gen"]).code(0);
    assert!(
        t.read(".forgejo/workflows/ci.yml").contains(&format!("actions/cache@{newer} # v4.10.0"))
    );

    let again = world.run(&t, &["pin", "--update"]).code(0);
    assert!(again.stdout.is_empty());
    again.stderr_has("every reference is at the newest release it may move to");
}

#[test]
fn a_moved_tag_changes_nothing_until_update() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    world.run(&t, &["gen"]).code(0);
    let before = t.read(".forgejo/workflows/ci.yml");
    // Whoever controls the action moves its tags to another commit.
    let cache = world.repo("github/actions/cache");
    let moved = cache.commit("something else");
    cache.tag("v4.2.3", &moved);
    cache.annotated("v4", &moved);

    world.run(&t, &["pin"]).code(0).stderr_has("unchanged `cigen.lock`");
    world.run(&t, &["gen"]).code(0).stderr_has("unchanged `.forgejo/workflows/ci.yml`");
    assert_eq!(t.read(".forgejo/workflows/ci.yml"), before);
    assert!(before.contains(&world.cache));

    let run = world.run(&t, &["pin", "--update", "actions/cache@v4"]).code(0);
    assert_eq!(
        run.stdout,
        format!("actions/cache@v4: v4.2.3 ({}) → v4.2.3 ({})\n", &world.cache[..7], &moved[..7])
    );
    assert!(t.read("cigen.lock").contains(&moved));
}

#[test]
fn major_crosses_major_versions_for_the_references_named() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let v5 = world.repo("github/actions/cache").release("v5.1.0");
    let v3 = world.repo("github/octo/publish-action").release("v3.0.0");
    let run = world.run(&t, &["pin", "--update", "--major", "actions/cache"]).code(0);
    assert_eq!(
        run.stdout,
        format!("actions/cache@v4: v4.2.3 ({}) → v5.1.0 ({})\n", &world.cache[..7], &v5[..7])
    );
    let lock = t.read("cigen.lock");
    assert!(lock.contains(&format!("pin \"actions/cache@v4\" commit=\"{v5}\" tag=\"v5.1.0\"")));
    assert!(lock.contains(&format!("commit=\"{}\" tag=\"v2.0.0\"", world.publish)), "{lock}");
    assert!(!lock.contains(&v3));
    // `--major` needs `--update`; so do references.
    world.run(&t, &["pin", "--major"]).code(2);
    world.run(&t, &["pin", "actions/cache@v4"]).code(2);
    world.run(&t, &["pin", "--update", "--check"]).code(2);
}

#[test]
fn update_of_a_reference_the_spec_does_not_use_is_an_error() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let lock = t.read("cigen.lock");
    world
        .run(&t, &["pin", "--update", "actions/cahce@v4"])
        .code(2)
        .stderr_has("`pipeline.kdl` uses no reference `actions/cahce@v4`")
        .stderr_has("did you mean `actions/cache@v4`?")
        .stderr_has("`cigen.lock` was not written");
    assert_eq!(t.read("cigen.lock"), lock);
}

#[test]
fn a_missing_ref_is_located_and_nothing_is_written() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let lock = t.read("cigen.lock");
    let t = t.spec(&SPEC.replace("actions/cache@v4", "actions/cache@v9"));
    world
        .run(&t, &["pin"])
        .code(2)
        .stderr_has("`https://github.com/actions/cache` has no tag or branch `v9`")
        .stderr_has("pipeline.kdl:6:14]")
        .stderr_has("help: its newest releases are `v4.2.3`")
        .stderr_has("`cigen.lock` was not written: 1 error above");
    assert_eq!(t.read("cigen.lock"), lock, "the lock is left as it was");
    let names: Vec<String> = t.snapshot_files().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["cigen.lock", "pipeline.kdl"], "no temporary file is left");
}

#[test]
fn a_ref_that_is_both_a_branch_and_a_tag_is_ambiguous() {
    let forges = Forges::new();
    let repo = forges.repo("github/octo/tool");
    let tagged = repo.commit("tagged");
    let branch = repo.commit("branch");
    repo.tag("stable", &tagged);
    repo.branch("stable", &branch);
    forgejo_plumbing(&forges);
    let t =
        Test::new().spec(r#"workflow "ci" { on { push }; job "a" { uses "octo/tool@stable"; } }"#);
    forges
        .run(&t, &["pin"])
        .code(2)
        .stderr_has("`stable` is both a branch and a tag of `https://github.com/octo/tool`")
        .stderr_has(&format!("the branch is at {branch}, the tag at {tagged}"))
        .stderr_has(&format!("`octo/tool@{tagged}`"))
        .stderr_has("name the commit you mean");
    assert!(!t.exists("cigen.lock"));
}

#[test]
fn branches_commits_and_annotated_tags() {
    let forges = Forges::new();
    let repo = forges.repo("github/octo/tool");
    let head = repo.commit("head");
    repo.branch("main", &head);
    let release = repo.commit("release");
    repo.annotated("v1.2.0", &release);
    forgejo_plumbing(&forges);
    let spec = format!(
        r#"workflow "ci" {{ on {{ push }}; job "a" {{ uses "octo/tool@main"; uses "octo/tool@{release}"; uses "octo/tool@v1.2.0"; }} }}"#
    );
    let t = Test::new().spec(&spec);
    forges.run(&t, &["pin"]).code(0);
    let lock = t.read("cigen.lock");
    assert!(lock.contains(&format!("pin \"octo/tool@main\" commit=\"{head}\" branch=\"main\"")));
    // An annotated tag is a tag object; the lock holds the commit it tags.
    assert!(
        lock.contains(&format!("pin \"octo/tool@v1.2.0\" commit=\"{release}\" tag=\"v1.2.0\""))
    );
    assert!(
        lock.contains(&format!("pin \"octo/tool@{release}\" commit=\"{release}\" tag=\"v1.2.0\""))
    );
    let rendered = forges.run(&t, &["render"]).code(0).stdout;
    assert!(rendered.contains(&format!("uses: octo/tool@{head} # main\n")));
    assert!(rendered.contains(&format!("uses: octo/tool@{release} # v1.2.0\n")));

    let next = repo.commit("next");
    repo.branch("main", &next);
    let run = forges.run(&t, &["pin", "--update", "octo/tool@main"]).code(0);
    assert_eq!(
        run.stdout,
        format!("octo/tool@main: main ({}) → main ({})\n", &head[..7], &next[..7])
    );
    // A reference that names a commit stays where the spec puts it.
    assert!(t.read("cigen.lock").contains(&format!("commit=\"{release}\" tag=\"v1.2.0\"")));
}

#[test]
fn unknown_repositories_and_unreachable_hosts_are_told_apart() {
    let mut forges = Forges::new();
    forgejo_plumbing(&forges);
    let t =
        Test::new().spec(r#"workflow "ci" { on { push }; job "a" { uses "nobody/nothing@v1"; } }"#);
    forges
        .run(&t, &["pin"])
        .code(2)
        .stderr_has("`https://github.com/nobody/nothing` is not a repository cigen can read")
        .stderr_has("does not appear to be a git repository")
        .stderr_has("this step's action")
        .stderr_has("git ls-remote https://github.com/nobody/nothing` works");
    assert!(!t.exists("cigen.lock"));

    // A host that refuses connections: port 1 of this machine.
    let config = std::fs::read_to_string(forges.config())
        .unwrap()
        .replace(&format!("{}/github/", forges.root().display()), "http://127.0.0.1:1/");
    std::fs::write(forges.config(), config).unwrap();
    forges.allow = "file:http";
    forges
        .run(&t, &["pin"])
        .code(2)
        .stderr_has("cannot reach `https://github.com/nobody/nothing`")
        .stderr_has("check the network connection and proxy settings");
    assert!(!t.exists("cigen.lock"));
}

#[test]
fn an_unlocked_reference_is_located_in_the_spec_when_a_lock_exists() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    world.run(&t, &["gen"]).code(0);
    let files = t.snapshot_files();
    let t = t.spec(&SPEC.replace("run \"make test\"", "uses \"actions/cache@v4.1.0\""));
    for command in ["gen", "check", "render"] {
        world
            .run(&t, &[command])
            .code(2)
            .stderr_has("cigen::unpinned")
            .stderr_has("`cigen.lock` does not pin `actions/cache@v4.1.0`")
            .stderr_has("pipeline.kdl:7:14]")
            .stderr_has("not pinned in `cigen.lock`")
            .stderr_has("help: run `cigen pin`");
    }
    let unchanged: Vec<_> =
        t.snapshot_files().into_iter().filter(|(n, _)| n != "pipeline.kdl").collect();
    let before: Vec<_> = files.into_iter().filter(|(n, _)| n != "pipeline.kdl").collect();
    assert_eq!(unchanged, before, "gen wrote nothing");
    world
        .run(&t, &["pin", "--check"])
        .code(1)
        .stderr_has("`cigen.lock` does not pin `actions/cache@v4.1.0`")
        .stderr_has("`cigen.lock` is out of date: 1 reference is not pinned");
    world.run(&t, &["pin"]).code(0).stderr_has("pinned `actions/cache@v4.1.0` to v4.1.0");
    world.run(&t, &["gen"]).code(0);
    world.run(&t, &["pin", "--check"]).code(0);
}

#[test]
fn cigens_plumbing_is_located_at_the_workflow_that_uses_it() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let lock: String = t
        .read("cigen.lock")
        .lines()
        .filter(|l| !l.contains("actions/checkout@v6"))
        .map(|l| format!("{l}\n"))
        .collect();
    t.write("cigen.lock", &lock);
    world
        .run(&t, &["render"])
        .code(2)
        .stderr_has("`cigen.lock` does not pin `actions/checkout@v6`")
        .stderr_has("pipeline.kdl:15:12]")
        .stderr_has("cigen's checkout steps in `release` use `actions/checkout@v6`, not pinned in `cigen.lock`");
    world.run(&t, &["pin"]).code(0).stderr_has("pinned `actions/checkout@v6` to v6.1.0 (d23441a)");
}

#[test]
fn the_check_reports_pins_the_spec_no_longer_uses_and_pin_drops_them() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let t =
        t.spec(&SPEC.replace(
            "        uses \"actions/cache@v4\" { with path=\"~/.cache\" key=\"k\"; }\n",
            "",
        ));
    world.run(&t, &["render"]).code(0);
    world
        .run(&t, &["pin", "--check"])
        .code(1)
        .stderr_has("`cigen.lock` pins `actions/cache@v4`, which `pipeline.kdl` no longer uses")
        .stderr_has("cigen.lock:")
        .stderr_has("1 pin is no longer used");
    world
        .run(&t, &["pin"])
        .code(0)
        .stderr_has("dropped `actions/cache@v4`: `pipeline.kdl` no longer uses it");
    assert!(!t.read("cigen.lock").contains("actions/cache"));
    world.run(&t, &["pin", "--check"]).code(0);
}

#[test]
fn the_lock_round_trips_and_a_broken_one_is_located() {
    let world = World::new();
    let t = Test::new().spec(SPEC);
    world.run(&t, &["pin"]).code(0);
    let lock = t.read("cigen.lock");
    // The file starts with a comment and its format, one line per reference.
    assert!(lock.starts_with(
        "// The commit each action and reusable workflow reference of `pipeline.kdl`\n"
    ));
    assert!(lock.contains("\nversion 1\npin "));
    let entries: Vec<&str> = lock.lines().filter(|l| l.starts_with("pin ")).collect();
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(entries, sorted, "entries are sorted");
    // What `pin` wrote, `gen` reads, and `pin` writes again byte for byte.
    world.run(&t, &["gen"]).code(0);
    std::fs::remove_file(t.path("cigen.lock")).unwrap();
    t.write("cigen.lock", &lock);
    world.run(&t, &["pin"]).code(0).stderr_has("unchanged `cigen.lock`");
    assert_eq!(t.read("cigen.lock"), lock);

    let broken = lock.replace(&world.cache, "not-a-commit");
    t.write("cigen.lock", &broken);
    for args in [&["gen"][..], &["pin"], &["pin", "--check"]] {
        world
            .run(&t, args)
            .code(2)
            .stderr_has("invalid `cigen.lock`: `not-a-commit` is not a full commit id")
            .stderr_has("cigen.lock:");
    }
    t.write("cigen.lock", "pin \"a/b@v1\" {");
    world.run(&t, &["gen"]).code(2).stderr_has("`cigen.lock` is not valid KDL");
    // Nesting that would exhaust the reader's stack is refused before it runs.
    t.write("cigen.lock", &"pin \"a/b@v1\" {".repeat(100_000));
    world
        .run(&t, &["gen"])
        .code(2)
        .stderr_has("`cigen.lock` nests blocks more than 32 levels deep");
}

#[test]
fn the_lock_lives_beside_the_spec() {
    let world = World::new();
    let t = Test::new().file("ci/pipeline.kdl", SPEC);
    world.run(&t, &["-f", "ci/pipeline.kdl", "pin"]).code(0).stderr_has("wrote `ci/cigen.lock`");
    assert!(t.exists("ci/cigen.lock"));
    world.run(&t, &["-f", "ci/pipeline.kdl", "gen"]).code(0);
    assert!(t.read("ci/.github/workflows/release.yml").contains(&world.publish));
    let t2 = Test::new().file("sub/pipeline.kdl", SPEC);
    world.run(&t2, &["-C", "sub", "pin"]).code(0);
    world
        .run(&t2, &["-C", "sub", "pin", "--check"])
        .code(0)
        .stderr_has("ok: `sub/cigen.lock` pins every reference of `sub/pipeline.kdl`");
}

#[test]
fn a_spec_with_mistakes_is_not_pinned() {
    let world = World::new();
    let t = Test::new().spec(
        r#"workflow "ci" { target "github"; on { push }; job "a" { uses "actions/cache"; } }"#,
    );
    world.run(&t, &["pin"]).code(2).stderr_has("it names no version");
    assert!(!t.exists("cigen.lock"));
}

#[test]
fn the_update_flow_example_pins_every_action_it_generates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pin-updates");
    let mut seen = 0;
    for name in ["ci.yml", "pin-update.yml"] {
        let text = std::fs::read_to_string(dir.join(".github/workflows").join(name)).unwrap();
        for line in uses_lines(&text) {
            assert!(is_pinned(line), "{name}: not pinned: {line}");
            seen += 1;
        }
    }
    assert!(seen >= 5);
    let run = Test::new().run(&["-C", &dir.display().to_string(), "pin", "--check"]).code(0);
    run.stderr_has("pins every reference");
}
