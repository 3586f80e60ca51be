//! The built-in globals a program can name, by index.
//!
//! `load_builtin b` names an entry of [`BUILTINS`]; the compiler resolves a
//! free identifier through [`builtin_index`], the verifier bounds-checks `b`,
//! and the VM implements each entry. The order is part of the bytecode format:
//! append new names at the end, never reorder.

/// Built-in global names, indexed by `load_builtin`.
pub const BUILTINS: &[&str] = &[
    "Math",
    "JSON",
    "Object",
    "Array",
    "Number",
    "String",
    "Boolean",
    "Map",
    "Set",
    "Response",
    "Result",
    "console",
    "Date",
    "range",
    "parseInt",
    "parseFloat",
    "isNaN",
    "isFinite",
    "Headers",
    "Error",
    "h",
    "renderToString",
    "Fragment",
    "performance",
];

/// The index of a built-in global, if `name` is one.
pub fn builtin_index(name: &str) -> Option<u16> {
    BUILTINS.iter().position(|b| *b == name).map(|i| i as u16)
}
