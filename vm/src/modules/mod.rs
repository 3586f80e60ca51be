//! The virtual-module table (`zigttp:*`): one declaration per module, read by
//! the compiler (import checks, contract), the verifier (imports) and the VM
//! (natives).
//!
//! No module is implemented yet (that is the capability-boundary issue): the
//! table is empty, so every import of a `zigttp:*` module is refused at
//! compile time and by the verifier. [`PLANNED`] lists the reference's module
//! names so the compiler can say "not implemented yet" instead of "unknown".

use zigts_verifier::modules::ModuleDecl;

/// Implemented modules.
pub const TABLE: &[ModuleDecl] = &[];

/// Modules of the reference that are planned but not implemented yet.
pub const PLANNED: &[&str] = &[
    "zigttp:env",
    "zigttp:crypto",
    "zigttp:router",
    "zigttp:auth",
    "zigttp:validate",
    "zigttp:decode",
    "zigttp:cache",
    "zigttp:sql",
    "zigttp:compose",
    "zigttp:fetch",
    "zigttp:io",
    "zigttp:service",
    "zigttp:durable",
    "zigttp:websocket",
    "zigttp:scope",
    "zigttp:url",
    "zigttp:id",
    "zigttp:http",
    "zigttp:log",
    "zigttp:text",
    "zigttp:time",
    "zigttp:ratelimit",
];
