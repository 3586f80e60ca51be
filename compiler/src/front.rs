//! The compiler front end: source text to arena AST plus diagnostics.
//!
//! ```text
//! source --lexer--> tokens --parser--> ast::Program (in a bumpalo::Bump)
//!                                  \--> diag::Diagnostic (plain data, rendered once)
//! ```
//!
//! The entry point is [`parser::parse`]; see `spec/DESIGN.md` section 3 and
//! `spec/reference-language.md` sections 1-3 for the language profile.

#[path = "ast/mod.rs"]
pub mod ast;
#[path = "diag/mod.rs"]
pub mod diag;
#[path = "lexer/mod.rs"]
pub mod lexer;
#[path = "parser/mod.rs"]
pub mod parser;

pub use parser::{ParseResult, parse, parse_recovering};
