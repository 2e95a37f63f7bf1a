//! One open spec: its text as the editor has it, and what cigen makes of it.
//!
//! Edits only change the text and mark the document stale; the analysis
//! (`cigen check`'s diagnostics and the [`Index`]) is redone when a request
//! or the idle loop needs it, so a burst of edits costs one analysis.
//! While the KDL does not parse, the index of the last text that did is
//! carried over to the current text.

use std::path::PathBuf;

use gen_lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::index::Index;
use super::position::{Encoding, Lines};
use crate::error::Located;
use crate::parse::tree::{self, Node};
use crate::source::Source;

/// The largest text the server reads: positions are 32-bit.
const MAX_LEN: usize = u32::MAX as usize - 1;

/// An open document.
pub struct Document {
    /// Its URI.
    pub uri: Uri,
    /// The client's version of its text.
    pub version: i32,
    text: String,
    lines: Lines,
    encoding: Encoding,
    /// The file on disk, when the URI names one: for the name diagnostics
    /// use and the lock file beside it.
    path: Option<PathBuf>,
    analysis: Option<Analysis>,
    /// The last text whose KDL parsed, and its index.
    good: Option<(String, Index)>,
    /// Whether the client has the diagnostics of the current analysis.
    pub published: bool,
    /// Edits since the diagnostics were last published.
    pub edits: u32,
}

/// An open document as the features read it.
pub struct View<'a> {
    /// Its URI.
    pub uri: &'a Uri,
    /// Its text.
    pub text: &'a str,
    /// Its lines.
    pub lines: &'a Lines,
    /// What cigen makes of it.
    pub analysis: &'a Analysis,
}

impl View<'_> {
    /// The byte offset of `position`, clamped.
    pub fn offset(&self, position: gen_lsp_types::Position) -> usize {
        self.lines.offset(self.text, position)
    }

    /// The range of bytes `span`.
    pub fn range(&self, span: &std::ops::Range<usize>) -> gen_lsp_types::Range {
        self.lines.range(self.text, span.start, span.end)
    }
}

static EMPTY: Analysis = Analysis { diagnostics: Vec::new(), index: None };

/// What cigen makes of one text.
pub struct Analysis {
    /// What `cigen check` reports, in the order of the file.
    pub diagnostics: Vec<Located>,
    /// The index: of this text, or carried over from the last good one.
    pub index: Option<Index>,
}

impl Document {
    /// A document opened with `text`.
    pub fn new(uri: Uri, version: i32, text: String, encoding: Encoding) -> Self {
        let text = bounded(text);
        let lines = Lines::new(&text, encoding);
        let path = file_path(&uri);
        Self {
            uri,
            version,
            text,
            lines,
            encoding,
            path,
            analysis: None,
            good: None,
            published: false,
            edits: 0,
        }
    }

    /// Applies the client's edits, in order.
    pub fn change(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change {
                TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(whole) => {
                    self.text = whole.text;
                }
                TextDocumentContentChangeEvent::TextDocumentContentChangePartial(part) => {
                    let span = self.lines.span(&self.text, part.range);
                    self.text.replace_range(span, &part.text);
                }
            }
            self.text = bounded(std::mem::take(&mut self.text));
            self.lines = Lines::new(&self.text, self.encoding);
        }
        self.version = version;
        self.analysis = None;
        self.published = false;
        self.edits = self.edits.saturating_add(1);
    }

    /// Marks the analysis stale: what is beside the document may have changed.
    pub fn refresh(&mut self) {
        self.analysis = None;
        self.published = false;
    }

    /// Whether the analysis must be redone.
    pub fn is_stale(&self) -> bool {
        self.analysis.is_none()
    }

    /// The analysis of the current text, made now if it is stale.
    pub fn analysis(&mut self) -> &Analysis {
        if self.analysis.is_none() {
            self.analysis = Some(self.analyse());
        }
        self.analysis.as_ref().unwrap_or(&EMPTY)
    }

    /// The text, its lines and its analysis, made now if it is stale.
    pub fn view(&mut self) -> View<'_> {
        self.analysis();
        View {
            uri: &self.uri,
            text: &self.text,
            lines: &self.lines,
            analysis: self.analysis.as_ref().unwrap_or(&EMPTY),
        }
    }

    fn analyse(&mut self) -> Analysis {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| "pipeline.kdl".to_owned(), |n| n.to_string_lossy().into_owned());
        let shown = self.path.as_ref().map_or_else(|| name.clone(), |p| p.display().to_string());
        let source = Source::new(shown, self.text.as_str());
        let lock = self.path.as_deref().and_then(super::lock::beside);
        // Whether the KDL reads: a slip such as an unquoted script is a
        // mistake in a text that still reads, and its index is current.
        let mut reads = false;
        let (checked, warnings) =
            crate::check_spec_locked_seeing(&source, &name, lock.as_ref(), |_| reads = true);
        let mut diagnostics = match checked {
            Ok(_) => Vec::new(),
            Err(found) => found.0,
        };
        diagnostics.extend(warnings.0);
        let nodes = if reads { read_tree(&self.text) } else { None };
        let index = match nodes {
            Some(nodes) => {
                let index = Index::build(&self.text, &nodes);
                self.good = Some((self.text.clone(), index.clone()));
                Some(index)
            }
            None => self.good.as_ref().map(|(old, index)| index.rebase(old, &self.text)),
        };
        Analysis { diagnostics, index }
    }
}

/// The KDL tree of `text`, read as `parse` reads it.
fn read_tree(text: &str) -> Option<Vec<Node>> {
    crate::parse::fast::parse(text)
        .or_else(|| kdl::KdlDocument::parse_v2(text).ok().map(|d| tree::from_kdl(&d)))
}

/// `text`, cut to the largest length the server reads.
fn bounded(mut text: String) -> String {
    if text.len() > MAX_LEN {
        let mut at = MAX_LEN;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
    text
}

/// The local path a `file:` URI names.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.0.strip_prefix("file://")?;
    let path = percent_decode(rest)?;
    // `file:///C:/x` on Windows: drop the slash before the drive letter.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => {
            path[1..].to_owned()
        }
        _ => path,
    };
    Some(PathBuf::from(path))
}

/// `%XX` escapes decoded; `None` when they do not make UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == b'%'
            && let Some(hex) = text.get(at + 1..at + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            out.push(value);
            at += 3;
        } else {
            out.push(b);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        let uri = Uri("file:///work/my%20repo/pipeline.kdl".to_owned());
        assert_eq!(file_path(&uri), Some(PathBuf::from("/work/my repo/pipeline.kdl")));
        assert_eq!(file_path(&Uri("untitled:Untitled-1".to_owned())), None);
    }
}
