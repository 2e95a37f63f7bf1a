//! The language reference, `docs/language.md`, embedded in the binary and
//! read as a lookup table: every table row that documents a node or a
//! property, and every section's first paragraph, by name.
//!
//! A row documents the names written in code in its first cell
//! (`` `needs` ``, `` `{ env KEY=VALUE … }` `` → `env`). Where a name has
//! rows in several sections, the section of the block it is written in
//! wins.

use std::sync::OnceLock;

/// The reference, as built.
const TEXT: &str = include_str!("../../docs/language.md");

/// Where the reference lives, for links in hover text.
const FILE: &str = "docs/language.md";

/// A section of the reference.
#[derive(Debug)]
struct Section {
    title: String,
    anchor: String,
    /// Its first paragraph.
    intro: String,
}

/// A table row, and the names it documents.
#[derive(Debug)]
struct Row {
    names: Vec<String>,
    section: usize,
    header: Vec<String>,
    cells: Vec<String>,
}

/// The reference read into sections and rows.
#[derive(Debug)]
pub struct Manual {
    sections: Vec<Section>,
    rows: Vec<Row>,
}

/// The embedded reference, read once.
pub fn manual() -> &'static Manual {
    static MANUAL: OnceLock<Manual> = OnceLock::new();
    MANUAL.get_or_init(|| Manual::read(TEXT))
}

impl Manual {
    fn read(text: &str) -> Self {
        let mut sections: Vec<Section> = Vec::new();
        let mut rows = Vec::new();
        let mut header: Option<Vec<String>> = None;
        let mut in_code = false;
        let mut intro_open = false;
        for line in text.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                intro_open = false;
                continue;
            }
            if in_code {
                continue;
            }
            if let Some(title) = heading(line) {
                sections.push(Section {
                    anchor: slug(title),
                    title: title.to_owned(),
                    intro: String::new(),
                });
                header = None;
                intro_open = true;
                continue;
            }
            let Some(section) = sections.len().checked_sub(1) else { continue };
            if line.starts_with('|') {
                intro_open = false;
                let cells = cells(line);
                if cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ' ' || ch == ':')) {
                    continue;
                }
                match &header {
                    None => header = Some(cells),
                    Some(head) => rows.push(Row {
                        names: names(cells.first().map_or("", String::as_str)),
                        section,
                        header: head.clone(),
                        cells,
                    }),
                }
                continue;
            }
            header = None;
            let intro = &mut sections[section].intro;
            if line.trim().is_empty() {
                intro_open = intro_open && intro.is_empty();
            } else if intro_open {
                if !intro.is_empty() {
                    intro.push(' ');
                }
                intro.push_str(line.trim());
            }
        }
        Self { sections, rows }
    }

    /// What the reference says of `name` written in the block at the end
    /// of `path`, as Markdown.
    pub fn describe(&self, path: &[&str], name: &str) -> Option<String> {
        let preferred = preferred_sections(path);
        let rank = |row: &Row| {
            let title = &self.sections[row.section].title;
            preferred.iter().position(|p| title == p).unwrap_or(preferred.len())
        };
        let row =
            self.rows.iter().filter(|r| r.names.iter().any(|n| n == name)).min_by_key(|r| rank(r));
        let own = self.sections.iter().find(|s| section_names(&s.title).any(|n| n == name));
        if row.is_none() && own.is_none() {
            return None;
        }
        let mut text = format!("**`{name}`**");
        let mut at = None;
        if let Some(row) = row {
            for (head, cell) in row.header.iter().zip(&row.cells).skip(1) {
                if !cell.is_empty() {
                    text.push_str(&format!("\n\n*{head}:* {cell}"));
                }
            }
            if row.cells.len() == 1 || row.cells.iter().skip(1).all(String::is_empty) {
                text.push_str(&format!("\n\n{}", row.cells[0]));
            }
            at = Some(&self.sections[row.section]);
        }
        if let Some(section) = own.filter(|s| !s.intro.is_empty()) {
            text.push_str(&format!("\n\n{}", section.intro));
            at = Some(section);
        }
        if let Some(section) = at {
            text.push_str(&format!("\n\n[{}]({FILE}#{})", section.title, section.anchor));
        }
        Some(text)
    }
}

/// The sections that document the block at the end of `path`, best first.
fn preferred_sections(path: &[&str]) -> Vec<&'static str> {
    let mut titles = match path {
        [] => {
            vec!["Top level", "workflow \"ID\"", "actions", "Reuse: steps lists and job templates"]
        }
        ["workflow"] => vec!["Workflow settings", "Top level"],
        ["workflow", "on", ..] => vec![
            "Triggers: on",
            "workflow_dispatch { input … }",
            "workflow_call { input; secret; output }",
        ],
        ["workflow", "artifact", ..] => vec!["Artifacts", "legs: how consumers take the legs"],
        _ => Vec::new(),
    };
    for name in path.iter().rev() {
        titles.extend(match *name {
            "run" => &["run", "Steps: run and uses"][..],
            "uses" => &["uses", "Steps: run and uses", "Calling a reusable workflow"],
            "matrix" | "strategy" => &["matrix and strategy", "Matrix data"],
            "services" | "container" => {
                &["container and services", "runs-on, timeout-minutes and container: job defaults"]
            }
            "checkout" => &["checkout"],
            "permissions" => &["permissions"],
            "concurrency" => &["concurrency"],
            "defaults" => &["defaults"],
            "job" | "template" => &["Jobs", "Reuse: steps lists and job templates"],
            "workflow" => &["Workflow settings"],
            _ => &[],
        });
    }
    titles
}

/// The names a heading is about: `name and run-name` → `name`, `run-name`.
/// A heading in words (`Habits from YAML`, with a capital) is about only
/// the names it writes in code.
fn section_names(title: &str) -> Box<dyn Iterator<Item = &str> + '_> {
    if title.contains(|c: char| c.is_ascii_uppercase()) {
        return Box::new(title.split('`').skip(1).step_by(2).map(str::trim));
    }
    Box::new(
        title
            .split([',', ' '])
            .map(|w| w.trim_matches('`'))
            .filter(|w| !w.is_empty() && !matches!(*w, "and" | "{" | "}" | "…")),
    )
}

fn heading(line: &str) -> Option<&str> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=4).contains(&hashes).then(|| line[hashes..].strip_prefix(' ')).flatten().map(str::trim)
}

/// GitHub's anchor for a heading.
fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split(" | ").map(|c| c.trim().trim_matches('|').trim().to_owned()).collect()
}

/// The names a first cell documents: the leading word of each code span.
fn names(cell: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (i, code) in cell.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        let code = code.trim_start_matches(['{', ' ', '"']);
        let word: String = code
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        let placeholder = word.chars().all(|c| !c.is_ascii_lowercase());
        if !word.is_empty() && !placeholder && !found.contains(&word) {
            found.push(word);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_name_and_block() {
        let needs = manual().describe(&["workflow", "job"], "needs").expect("documented");
        assert!(needs.contains("jobs of the same workflow"), "{needs}");
        assert!(needs.contains("(docs/language.md#jobs)"), "{needs}");
        let from = manual().describe(&["workflow", "artifact"], "from").expect("documented");
        assert!(from.contains("the producing job"), "{from}");
        let shell = manual().describe(&["workflow", "job", "run"], "shell").expect("documented");
        assert!(shell.contains("#run"), "{shell}");
        assert!(manual().describe(&[], "no-such-node").is_none());
    }

    #[test]
    fn names_come_from_code_spans() {
        assert_eq!(names("`run`, `uses`"), ["run", "uses"]);
        assert_eq!(names("`{ env KEY=VALUE … }`"), ["env"]);
        assert_eq!(names("`AXIS \"v1\" \"v2\" …`"), Vec::<String>::new());
        assert_eq!(slug("Triggers: on"), "triggers-on");
        assert_eq!(slug("workflow \"ID\""), "workflow-id");
    }
}
