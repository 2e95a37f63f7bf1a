//! Embeds every file under `templates/` in the binary: the template sets of
//! the targets and the starter specs of `cigen init`. Adding a target's
//! templates is adding a folder; nothing lists them by hand.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out =
        String::from("/// Every file under `templates/`, by its `/`-separated path there.\n");
    out.push_str("pub const EMBEDDED: &[(&str, &str)] = &[\n");
    for file in &files {
        let name = file.strip_prefix(&root).expect("under templates/");
        let name: Vec<String> =
            name.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            name.join("/"),
            file.display().to_string()
        )
        .expect("writing to a string");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dest.join("templates.rs"), out).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("templates/ is readable");
    for entry in entries {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
