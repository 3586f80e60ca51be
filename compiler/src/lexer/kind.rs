//! The token set of the profile, as one `#[derive(Logos)]` enum.
//!
//! Logos lexes the regular part: punctuators, keywords, identifiers, numbers
//! and strings (via callbacks that scan and validate), comments and trivia.
//! The context-dependent tokens (template chunks, JSX text, JSX tag names)
//! are produced by the hand-written [`super::Lexer`]; their variants carry no
//! logos attribute.
//!
//! Keywords include every word the profile rejects (`var`, `class`, ...), so
//! the parser can point at them with a tailored message.

use logos::Logos;

use super::scan;

/// What went wrong inside one logos token (offsets are relative to the token
/// start). Turned into a [`super::LexError`] by the wrapper.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RawLexError {
    /// No token starts here.
    #[default]
    UnexpectedChar,
    UnterminatedString,
    UnterminatedComment,
    InvalidNumber,
    /// A bad `\x..`, legacy octal or `\8`/`\9` escape at `offset`.
    InvalidEscape {
        offset: u32,
        len: u32,
    },
    /// A bad `\u....` / `\u{...}` escape at `offset`.
    InvalidUnicodeEscape {
        offset: u32,
        len: u32,
    },
}

/// Token kinds. `Eof = 0`; fits in a byte.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[logos(error = RawLexError)]
#[repr(u8)]
pub enum Kind {
    /// End of input (never produced by logos itself).
    Eof = 0,
    /// A lexing error; the diagnostic is in the lexer.
    Error,

    // ----- trivia (skipped by the wrapper) -----
    #[regex(r"[ \t\u{000B}\u{000C}\u{00A0}\u{FEFF}\p{Zs}]+")]
    Whitespace,
    #[regex(r"\r\n|[\n\r\u{2028}\u{2029}]")]
    Newline,
    #[regex(r"//[^\n\r\u{2028}\u{2029}]*")]
    LineComment,
    #[token("/*", scan::block_comment)]
    BlockComment,
    /// `#!...` on the first line.
    Hashbang,

    // ----- literals and names -----
    #[regex(r"[0-9]", scan::number)]
    #[regex(r"\.[0-9]", scan::number)]
    Number,
    #[token("\"", scan::string)]
    #[token("'", scan::string)]
    String,
    /// The opening backtick; the wrapper turns it into a template token.
    #[token("`")]
    Backtick,
    /// `` `text` `` (no substitutions)
    NoSubstTemplate,
    /// `` `text${ ``
    TemplateHead,
    /// `}text${`
    TemplateMiddle,
    /// `` }text` ``
    TemplateTail,
    /// Text between JSX tags.
    JsxText,
    #[regex(r"[\p{ID_Start}$_][\p{ID_Continue}$\u{200C}\u{200D}]*")]
    Ident,

    // ----- keywords: reserved words -----
    #[token("break")]
    Break,
    #[token("case")]
    Case,
    #[token("catch")]
    Catch,
    #[token("class")]
    Class,
    #[token("const")]
    Const,
    #[token("continue")]
    Continue,
    #[token("debugger")]
    Debugger,
    #[token("default")]
    Default,
    #[token("delete")]
    Delete,
    #[token("do")]
    Do,
    #[token("else")]
    Else,
    #[token("enum")]
    Enum,
    #[token("export")]
    Export,
    #[token("extends")]
    Extends,
    #[token("false")]
    False,
    #[token("finally")]
    Finally,
    #[token("for")]
    For,
    #[token("function")]
    Function,
    #[token("if")]
    If,
    #[token("import")]
    Import,
    #[token("in")]
    In,
    #[token("instanceof")]
    Instanceof,
    #[token("new")]
    New,
    #[token("null")]
    Null,
    #[token("return")]
    Return,
    #[token("super")]
    Super,
    #[token("switch")]
    Switch,
    #[token("this")]
    This,
    #[token("throw")]
    Throw,
    #[token("true")]
    True,
    #[token("try")]
    Try,
    #[token("typeof")]
    Typeof,
    #[token("var")]
    Var,
    #[token("void")]
    Void,
    #[token("while")]
    While,
    #[token("with")]
    With,
    // Strict-mode / module reserved words.
    #[token("await")]
    Await,
    #[token("yield")]
    Yield,
    #[token("let")]
    Let,
    #[token("static")]
    Static,
    #[token("implements")]
    Implements,
    #[token("interface")]
    Interface,
    #[token("package")]
    Package,
    #[token("private")]
    Private,
    #[token("protected")]
    Protected,
    #[token("public")]
    Public,
    // `undefined` is a literal in this profile.
    #[token("undefined")]
    Undefined,

    // ----- keywords: contextual (also usable as identifiers) -----
    #[token("as")]
    As,
    #[token("assert")]
    Assert,
    #[token("async")]
    Async,
    #[token("declare")]
    Declare,
    #[token("distinct")]
    Distinct,
    #[token("from")]
    From,
    #[token("get")]
    Get,
    #[token("match")]
    Match,
    #[token("module")]
    Module,
    #[token("namespace")]
    Namespace,
    #[token("of")]
    Of,
    #[token("satisfies")]
    Satisfies,
    #[token("set")]
    Set,
    #[token("type")]
    Type,
    #[token("when")]
    When,
    #[token("abstract")]
    Abstract,
    #[token("readonly")]
    Readonly,
    #[token("keyof")]
    Keyof,

    // ----- punctuators -----
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("...")]
    Dot3,
    #[token("?.")]
    QuestionDot,
    #[token("?")]
    Question,
    #[token(":")]
    Colon,
    #[token("@")]
    At,
    #[token("#")]
    Hash,
    #[token("=>")]
    Arrow,
    #[token("|>")]
    Pipe,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    LtEq,
    #[token(">=")]
    GtEq,
    #[token("==")]
    Eq2,
    #[token("!=")]
    Neq,
    #[token("===")]
    Eq3,
    #[token("!==")]
    Neq2,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("**")]
    Star2,
    #[token("++")]
    Plus2,
    #[token("--")]
    Minus2,
    #[token("<<")]
    ShiftLeft,
    #[token(">>")]
    ShiftRight,
    #[token(">>>")]
    ShiftRight3,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe1,
    #[token("^")]
    Caret,
    #[token("!")]
    Bang,
    #[token("~")]
    Tilde,
    #[token("&&")]
    Amp2,
    #[token("||")]
    Pipe2,
    #[token("??")]
    Question2,
    #[token("=")]
    Eq,
    #[token("+=")]
    PlusEq,
    #[token("-=")]
    MinusEq,
    #[token("*=")]
    StarEq,
    #[token("/=")]
    SlashEq,
    #[token("%=")]
    PercentEq,
    #[token("**=")]
    Star2Eq,
    #[token("<<=")]
    ShiftLeftEq,
    #[token(">>=")]
    ShiftRightEq,
    #[token(">>>=")]
    ShiftRight3Eq,
    #[token("&=")]
    AmpEq,
    #[token("|=")]
    PipeEq,
    #[token("^=")]
    CaretEq,
    #[token("&&=")]
    Amp2Eq,
    #[token("||=")]
    Pipe2Eq,
    #[token("??=")]
    Question2Eq,
}

impl Kind {
    /// Whitespace, newlines and comments.
    #[inline]
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            Kind::Whitespace
                | Kind::Newline
                | Kind::LineComment
                | Kind::BlockComment
                | Kind::Hashbang
        )
    }

    /// Any keyword (reserved or contextual).
    pub fn is_keyword(self) -> bool {
        (self as u8) >= (Kind::Break as u8) && (self as u8) <= (Kind::Keyof as u8)
    }

    /// Contextual keywords: words with a meaning in some positions that are
    /// plain identifiers elsewhere.
    pub fn is_contextual(self) -> bool {
        (self as u8) >= (Kind::As as u8) && (self as u8) <= (Kind::Keyof as u8)
    }

    /// Can name a binding or be referenced (identifiers and contextual
    /// keywords).
    #[inline]
    pub fn is_identifier(self) -> bool {
        self == Kind::Ident || self.is_contextual()
    }

    /// Can be a property name after `.` or in an object literal key.
    #[inline]
    pub fn is_identifier_name(self) -> bool {
        self == Kind::Ident || self.is_keyword()
    }

    /// Template chunk tokens.
    pub fn is_template(self) -> bool {
        matches!(
            self,
            Kind::NoSubstTemplate | Kind::TemplateHead | Kind::TemplateMiddle | Kind::TemplateTail
        )
    }

    /// Assignment operators, the rejected logical ones included.
    pub fn is_assign_op(self) -> bool {
        (self as u8) >= (Kind::Eq as u8) && (self as u8) <= (Kind::Question2Eq as u8)
    }

    /// A short description for "expected X, found Y" messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Eof => "end of file",
            Kind::Error => "invalid token",
            Kind::Whitespace | Kind::Newline => "whitespace",
            Kind::LineComment | Kind::BlockComment | Kind::Hashbang => "comment",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Backtick
            | Kind::NoSubstTemplate
            | Kind::TemplateHead
            | Kind::TemplateMiddle
            | Kind::TemplateTail => "template literal",
            Kind::JsxText => "JSX text",
            Kind::Ident => "identifier",
            k => k.punct_or_keyword_str(),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn punct_or_keyword_str(self) -> &'static str {
        match self {
            Kind::Break => "break",
            Kind::Case => "case",
            Kind::Catch => "catch",
            Kind::Class => "class",
            Kind::Const => "const",
            Kind::Continue => "continue",
            Kind::Debugger => "debugger",
            Kind::Default => "default",
            Kind::Delete => "delete",
            Kind::Do => "do",
            Kind::Else => "else",
            Kind::Enum => "enum",
            Kind::Export => "export",
            Kind::Extends => "extends",
            Kind::False => "false",
            Kind::Finally => "finally",
            Kind::For => "for",
            Kind::Function => "function",
            Kind::If => "if",
            Kind::Import => "import",
            Kind::In => "in",
            Kind::Instanceof => "instanceof",
            Kind::New => "new",
            Kind::Null => "null",
            Kind::Return => "return",
            Kind::Super => "super",
            Kind::Switch => "switch",
            Kind::This => "this",
            Kind::Throw => "throw",
            Kind::True => "true",
            Kind::Try => "try",
            Kind::Typeof => "typeof",
            Kind::Var => "var",
            Kind::Void => "void",
            Kind::While => "while",
            Kind::With => "with",
            Kind::Await => "await",
            Kind::Yield => "yield",
            Kind::Let => "let",
            Kind::Static => "static",
            Kind::Implements => "implements",
            Kind::Interface => "interface",
            Kind::Package => "package",
            Kind::Private => "private",
            Kind::Protected => "protected",
            Kind::Public => "public",
            Kind::Undefined => "undefined",
            Kind::As => "as",
            Kind::Assert => "assert",
            Kind::Async => "async",
            Kind::Declare => "declare",
            Kind::Distinct => "distinct",
            Kind::From => "from",
            Kind::Get => "get",
            Kind::Match => "match",
            Kind::Module => "module",
            Kind::Namespace => "namespace",
            Kind::Of => "of",
            Kind::Satisfies => "satisfies",
            Kind::Set => "set",
            Kind::Type => "type",
            Kind::When => "when",
            Kind::Abstract => "abstract",
            Kind::Readonly => "readonly",
            Kind::Keyof => "keyof",
            Kind::LBrace => "{",
            Kind::RBrace => "}",
            Kind::LParen => "(",
            Kind::RParen => ")",
            Kind::LBracket => "[",
            Kind::RBracket => "]",
            Kind::Semi => ";",
            Kind::Comma => ",",
            Kind::Dot => ".",
            Kind::Dot3 => "...",
            Kind::QuestionDot => "?.",
            Kind::Question => "?",
            Kind::Colon => ":",
            Kind::At => "@",
            Kind::Hash => "#",
            Kind::Arrow => "=>",
            Kind::Pipe => "|>",
            Kind::Lt => "<",
            Kind::Gt => ">",
            Kind::LtEq => "<=",
            Kind::GtEq => ">=",
            Kind::Eq2 => "==",
            Kind::Neq => "!=",
            Kind::Eq3 => "===",
            Kind::Neq2 => "!==",
            Kind::Plus => "+",
            Kind::Minus => "-",
            Kind::Star => "*",
            Kind::Slash => "/",
            Kind::Percent => "%",
            Kind::Star2 => "**",
            Kind::Plus2 => "++",
            Kind::Minus2 => "--",
            Kind::ShiftLeft => "<<",
            Kind::ShiftRight => ">>",
            Kind::ShiftRight3 => ">>>",
            Kind::Amp => "&",
            Kind::Pipe1 => "|",
            Kind::Caret => "^",
            Kind::Bang => "!",
            Kind::Tilde => "~",
            Kind::Amp2 => "&&",
            Kind::Pipe2 => "||",
            Kind::Question2 => "??",
            Kind::Eq => "=",
            Kind::PlusEq => "+=",
            Kind::MinusEq => "-=",
            Kind::StarEq => "*=",
            Kind::SlashEq => "/=",
            Kind::PercentEq => "%=",
            Kind::Star2Eq => "**=",
            Kind::ShiftLeftEq => "<<=",
            Kind::ShiftRightEq => ">>=",
            Kind::ShiftRight3Eq => ">>>=",
            Kind::AmpEq => "&=",
            Kind::PipeEq => "|=",
            Kind::CaretEq => "^=",
            Kind::Amp2Eq => "&&=",
            Kind::Pipe2Eq => "||=",
            Kind::Question2Eq => "??=",
            _ => "token",
        }
    }
}
