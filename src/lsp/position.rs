//! Positions: byte offsets in the text ↔ the client's line and character.
//!
//! The client and the server agree on how a line's characters are counted
//! at initialisation: UTF-8 bytes when the client offers them, otherwise
//! UTF-16 code units, the protocol's default. Every position the client
//! sends is clamped: a line past the end means the end of the text, a
//! character past the end of its line means the end of that line, and a
//! character inside a multi-byte character means its start.

use gen_lsp_types::{Position, PositionEncodingKind, Range};
use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};

/// How characters on a line are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units: bytes.
    Utf8,
    /// UTF-16 code units: the protocol's default.
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offers_utf8 = offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8));
        if offers_utf8 { Self::Utf8 } else { Self::Utf16 }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf8 => PositionEncodingKind::UTF8,
            Self::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A text's lines, for converting positions in both directions.
pub struct Lines {
    index: LineIndex,
    encoding: Encoding,
}

impl Lines {
    /// The lines of `text`, counted in `encoding`. `text` must be shorter
    /// than 4 GiB, which [`super::document`] ensures.
    pub fn new(text: &str, encoding: Encoding) -> Self {
        Self { index: LineIndex::new(text), encoding }
    }

    /// The byte offset of `position` in `text`, clamped into the text and
    /// onto a character boundary.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line;
        let Some(range) = self.index.line(line) else { return text.len() };
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        // The line's range includes its `\n`; a position never lies past it.
        let content = text.get(start..end).unwrap_or_default();
        let content_end = start + content.trim_end_matches(['\n', '\r']).len();
        let column = match self.encoding {
            Encoding::Utf8 => Some(position.character),
            Encoding::Utf16 => self
                .index
                .to_utf8(WideEncoding::Utf16, WideLineCol { line, col: position.character })
                .map(|c| c.col),
        };
        let wanted = column.map_or(content_end, |col| start.saturating_add(col as usize));
        let mut at = wanted.min(content_end);
        while at > start && !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The position of byte `offset` of `text`, clamped into the text.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let size = TextSize::try_from(offset).unwrap_or_else(|_| self.index.len());
        let LineCol { line, col } =
            self.index.try_line_col(size).unwrap_or(LineCol { line: 0, col: 0 });
        let character = match self.encoding {
            Encoding::Utf8 => col,
            Encoding::Utf16 => self
                .index
                .to_wide(WideEncoding::Utf16, LineCol { line, col })
                .map_or(col, |wide| wide.col),
        };
        Position { line, character }
    }

    /// The range of bytes `start..end` of `text`.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range { start: self.position(text, start), end: self.position(text, end.max(start)) }
    }

    /// The bytes of `text` that `range` covers, clamped and in order.
    pub fn span(&self, text: &str, range: Range) -> std::ops::Range<usize> {
        let (a, b) = (self.offset(text, range.start), self.offset(text, range.end));
        a.min(b)..a.max(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_clamps() {
        let text = "a😀b\nsecond\n";
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.offset(text, at(0, 3)), "a😀".len());
        assert_eq!(lines.position(text, "a😀".len()), at(0, 3));
        // Inside the surrogate pair: the start of the emoji.
        assert_eq!(lines.offset(text, at(0, 2)), 1);
        // Past the end of a line: the end of that line, before its newline.
        assert_eq!(lines.offset(text, at(0, 99)), "a😀b".len());
        // Past the last line: the end of the text.
        assert_eq!(lines.offset(text, at(40, 0)), text.len());
        assert_eq!(lines.offset(text, at(u32::MAX, u32::MAX)), text.len());
    }

    #[test]
    fn utf8_counts_bytes_and_snaps_to_characters() {
        let text = "é = 1\r\nx";
        let lines = Lines::new(text, Encoding::Utf8);
        assert_eq!(lines.offset(text, at(0, 1)), 0);
        assert_eq!(lines.offset(text, at(0, 2)), 2);
        assert_eq!(lines.offset(text, at(0, 50)), "é = 1".len());
        assert_eq!(lines.position(text, text.len()), at(1, 1));
        assert_eq!(lines.position(text, 999), at(1, 1));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
