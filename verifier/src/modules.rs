//! The shape of the virtual-module table (`zigttp:*`).
//!
//! The table itself lives in the VM, beside the natives it links; the
//! compiler reads it for import checks and the contract, and the verifier is
//! handed it to check a bundle's imports. This file only defines the types, so
//! that the verifier depends on nothing but the format.

use crate::capability::Capability;

/// Whether a module function changes state outside the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    Read,
    Write,
}

/// What a module function returns, for the contract and editor types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnKind {
    Boolean,
    Number,
    String,
    Object,
    Undefined,
    Unknown,
    OptionalString,
    OptionalObject,
    Result,
}

/// One exported function of a virtual module.
#[derive(Clone, Copy, Debug)]
pub struct ExportDecl {
    pub name: &'static str,
    /// Number of declared parameters (calls may pass fewer; the rest are undefined).
    pub arity: u8,
    pub effect: Effect,
    pub returns: ReturnKind,
}

/// One virtual module.
#[derive(Clone, Copy, Debug)]
pub struct ModuleDecl {
    /// The import specifier, e.g. `zigttp:env`.
    pub specifier: &'static str,
    pub exports: &'static [ExportDecl],
    /// What the module needs granted to be mounted (DESIGN section 6).
    pub capabilities: &'static [Capability],
}

impl ModuleDecl {
    /// The export named `name`, if any.
    pub fn export(&self, name: &str) -> Option<(usize, &ExportDecl)> {
        self.exports
            .iter()
            .enumerate()
            .find(|(_, e)| e.name == name)
    }
}

/// Looks a module up by specifier.
pub fn find_module<'t>(table: &'t [ModuleDecl], specifier: &str) -> Option<&'t ModuleDecl> {
    table.iter().find(|m| m.specifier == specifier)
}
