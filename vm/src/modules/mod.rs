//! The virtual-module table (`zigttp:*`): one declaration per module, read by
//! the compiler (import checks, contract), the verifier (imports) and the VM
//! (natives, through [`native`]).
//!
//! Implemented so far: `zigttp:compose` (no capabilities). The other modules
//! of the reference are listed in [`PLANNED`] so that the compiler can say
//! "not implemented yet" instead of "unknown module".

use crate::builtins::Native;
use zigts_verifier::modules::{Effect, ExportDecl, ModuleDecl, ReturnKind};

/// Implemented modules.
pub const TABLE: &[ModuleDecl] = &[ModuleDecl {
    specifier: "zigttp:compose",
    exports: &[
        // `guard(f)` marks a pre- or post-guard in a `|>` chain; the compiler
        // turns the chain into one function. Outside a chain it is the identity.
        ExportDecl {
            name: "guard",
            arity: 1,
            effect: Effect::None,
            returns: ReturnKind::Unknown,
        },
        // `pipe(f1, ..., fN)` is `fN(...f2(f1()))`.
        ExportDecl {
            name: "pipe",
            arity: 255,
            effect: Effect::None,
            returns: ReturnKind::Unknown,
        },
    ],
    capabilities: &[],
}];

/// The native behind a module export.
pub fn native(specifier: &str, export: &str) -> Option<Native> {
    Some(match (specifier, export) {
        ("zigttp:compose", "guard") => Native::ComposeGuard,
        ("zigttp:compose", "pipe") => Native::ComposePipe,
        _ => return None,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_of_the_table_has_a_native() {
        for m in TABLE {
            for e in m.exports {
                assert!(
                    native(m.specifier, e.name).is_some(),
                    "{}:{} has no native",
                    m.specifier,
                    e.name
                );
            }
            assert!(
                !PLANNED.contains(&m.specifier),
                "{} is both implemented and planned",
                m.specifier
            );
        }
    }
}
