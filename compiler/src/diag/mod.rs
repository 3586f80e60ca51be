//! Diagnostics as plain data, and a rustc-style renderer.
//!
//! A [`Diagnostic`] is built while compiling (by `#[cold]` constructors, so
//! the happy path stays lean) and rendered once at the end against the
//! [`SourceFile`] it points into:
//!
//! ```text
//! error[ZTS001]: 'var' is not supported
//!   --> reject/01-var.ts:3:3
//!    |
//!  3 |   var greeting = "hello";
//!    |   ^^^
//!    = help: use 'let' or 'const' instead
//! ```

use std::fmt::Write as _;
use std::io::IsTerminal as _;

pub use crate::front::ast::Span;

/// Whether rendered diagnostics carry ANSI colors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub const PLAIN: Style = Style { color: false };
    pub const COLOR: Style = Style { color: true };

    /// Colors when stderr is a terminal and `NO_COLOR` is unset (or empty),
    /// plain when piped (<https://no-color.org>).
    pub fn for_stderr() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    /// `text` wrapped in the SGR `code` (e.g. `"1;31"`), or as is when plain.
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Bold red (errors), bold yellow (warnings), bold blue (the frame), bold.
const RED: &str = "1;31";
const YELLOW: &str = "1;33";
const BLUE: &str = "1;34";
const BOLD: &str = "1";

/// Identifies a source file within one compilation (an index the caller
/// assigns; the parser only copies it into its diagnostics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// `"ZTS001"` etc. (reference-language.md section 2).
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong, e.g. `'var' is not supported`.
    pub message: String,
    /// How to fix it, e.g. `use 'let' or 'const' instead` (rendered as help).
    pub suggestion: Option<String>,
    /// The offending token or construct.
    pub span: Span,
    pub file: FileId,
}

impl Diagnostic {
    /// An error with no suggestion.
    #[cold]
    pub fn error(code: &'static str, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            message: message.into(),
            suggestion: None,
            span,
            file,
        }
    }

    /// A warning with no suggestion.
    #[cold]
    pub fn warning(
        code: &'static str,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, span, message)
        }
    }

    /// Adds a suggestion (rendered as `= help: ...`).
    #[cold]
    #[must_use]
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The reference's one-line form: `message; suggestion`.
    pub fn full_message(&self) -> String {
        match &self.suggestion {
            Some(s) => format!("{}; {s}", self.message),
            None => self.message.clone(),
        }
    }
}

/// A source file with its line table, for turning offsets into `line:col`.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as shown in diagnostics.
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Builds the line table. Lines end at `\n`, `\r\n` or a lone `\r`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i as u32 + 1),
                _ => {}
            }
            i += 1;
        }
        Self {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The 0-based line index containing `offset`.
    fn line_index(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line and column of a byte offset; the column counts
    /// characters (Unicode scalar values) from the start of the line.
    /// Offsets past the end clamp to the end of the text.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let col = self.text[start..offset as usize].chars().count() as u32 + 1;
        (line as u32 + 1, col)
    }

    /// The text of a 1-based line, without its terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize)
            .saturating_sub(1)
            .min(self.line_starts.len() - 1);
        let start = self.line_starts[idx] as usize;
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Moves an offset back onto a char boundary inside the text.
    fn clamp(&self, offset: u32) -> u32 {
        let mut o = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o as u32
    }

    /// Renders one diagnostic, rustc style, with a code frame and a caret
    /// under the offending span (first line of the span only).
    #[cold]
    pub fn render(&self, diag: &Diagnostic) -> String {
        self.render_styled(diag, Style::PLAIN)
    }

    /// [`SourceFile::render`], colored as rustc does when `style` says so.
    #[cold]
    pub fn render_styled(&self, diag: &Diagnostic, style: Style) -> String {
        let (line, col) = self.line_col(diag.span.start);
        let line_text = self.line_text(line);
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);

        // Caret: as many characters as the span covers on this line, at least 1.
        let start = self.clamp(diag.span.start) as usize;
        let line_start = self.line_starts[line as usize - 1] as usize;
        let line_end = line_start + line_text.len();
        let span_end = (self.clamp(diag.span.end) as usize).clamp(start, line_end);
        let width = self.text[start..span_end].chars().count().max(1);

        let level = if diag.is_error() { RED } else { YELLOW };
        let frame = |t: &str| style.paint(BLUE, t);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}{}",
            style.paint(level, &format!("{}[{}]", diag.severity.as_str(), diag.code)),
            style.paint(BOLD, &format!(": {}", diag.message))
        );
        let _ = writeln!(out, "{pad}{} {}:{line}:{col}", frame("-->"), self.name);
        let _ = writeln!(out, "{pad} {}", frame("|"));
        let _ = writeln!(out, "{} {line_text}", frame(&format!("{line} |")));
        let _ = write!(out, "{pad} {} ", frame("|"));
        // Keep tabs so the caret lines up with the source line.
        for c in line_text.chars().take(col as usize - 1) {
            out.push(if c == '\t' { '\t' } else { ' ' });
        }
        out.push_str(&style.paint(level, &"^".repeat(width)));
        out.push('\n');
        if let Some(s) = &diag.suggestion {
            let _ = writeln!(
                out,
                "{pad} {} {s}",
                frame("=") + &style.paint(BOLD, " help:")
            );
        }
        out
    }
}

/// Renders all diagnostics of one file, separated by blank lines.
#[cold]
pub fn render_all(source: &SourceFile, diags: &[Diagnostic]) -> String {
    render_all_styled(source, diags, Style::PLAIN)
}

/// [`render_all`] in `style`.
#[cold]
pub fn render_all_styled(source: &SourceFile, diags: &[Diagnostic], style: Style) -> String {
    let mut out = String::new();
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&source.render_styled(d, style));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_handles_crlf() {
        let src = SourceFile::new("t.ts", "ab\r\ncé x\rz\n");
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(1), (1, 2));
        assert_eq!(src.line_col(4), (2, 1));
        // 'x' is after "cé " (4 bytes, 3 chars).
        assert_eq!(src.line_col(8), (2, 4));
        assert_eq!(src.line_col(10), (3, 1));
        assert_eq!(src.line_text(2), "cé x");
        assert_eq!(src.line_text(3), "z");
        assert_eq!(src.line_col(1000), (4, 1));
    }

    #[test]
    fn render_has_location_frame_caret_and_help() {
        let src = SourceFile::new(
            "reject/01-var.ts",
            "// x\nexport function handler() {\n  var greeting = \"hello\";\n}\n",
        );
        let start = src.text.find("var").unwrap() as u32;
        let d = Diagnostic::error(
            "ZTS001",
            FileId(0),
            Span::new(start, start + 3),
            "'var' is not supported",
        )
        .with_suggestion("use 'let' or 'const' instead");
        let text = src.render(&d);
        assert_eq!(
            text,
            "error[ZTS001]: 'var' is not supported\n \
             --> reject/01-var.ts:3:3\n  \
             |\n\
             3 |   var greeting = \"hello\";\n  \
             |   ^^^\n  \
             = help: use 'let' or 'const' instead\n"
        );
        assert_eq!(
            d.full_message(),
            "'var' is not supported; use 'let' or 'const' instead"
        );
    }

    #[test]
    fn color_wraps_the_parts_and_plain_stays_plain() {
        let src = SourceFile::new("c.ts", "var x = 1;\n");
        let d = Diagnostic::error(
            "ZTS001",
            FileId(0),
            Span::new(0, 3),
            "'var' is not supported",
        )
        .with_suggestion("use 'let'");
        let colored = src.render_styled(&d, Style::COLOR);
        assert!(colored.starts_with("\x1b[1;31merror[ZTS001]\x1b[0m\x1b[1m: 'var'"));
        assert!(colored.contains("\x1b[1;31m^^^\x1b[0m"));
        assert!(colored.contains("\x1b[1;34m-->\x1b[0m c.ts:1:1"));
        let stripped = colored
            .split("\x1b[")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    &part[part.find('m').unwrap() + 1..]
                }
            })
            .collect::<String>();
        assert_eq!(stripped, src.render(&d));
        assert!(!src.render_styled(&d, Style::PLAIN).contains('\x1b'));
    }

    #[test]
    fn render_at_eof_and_empty_text() {
        let src = SourceFile::new("e.ts", "");
        let d = Diagnostic::error("ZTS007", FileId(0), Span::at(0), "unexpected end of file");
        assert!(src.render(&d).contains("e.ts:1:1"));
        let src = SourceFile::new("e.ts", "a\tb");
        let d = Diagnostic::error("ZTS002", FileId(0), Span::new(2, 3), "x");
        assert!(src.render(&d).contains("  |  \t^\n"));
    }
}
