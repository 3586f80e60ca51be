//! The contract: what a handler touches and what it is, as embedded in the
//! bundle's contract section and written by `zigts compile --contract`.
//!
//! The compiler produces it, the verifier checks the imports against its
//! capabilities, and the server compares it with the operator's policy.

use crate::capability::Capability;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Current contract schema version.
pub const CONTRACT_VERSION: u32 = 1;

/// Where the handler is declared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerLocation {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// Literal values seen for one category (env names, hosts, ...), and whether
/// any use was not a literal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiteralSet {
    #[serde(default)]
    pub literal: Vec<String>,
    #[serde(default)]
    pub dynamic: bool,
}

/// A named SQL statement registered with `sql(name, statement)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlQuery {
    pub name: String,
    /// select, insert, update or delete.
    pub operation: String,
    pub tables: Vec<String>,
}

/// SQL queries the handler registers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlSection {
    #[serde(default)]
    pub queries: Vec<SqlQuery>,
    #[serde(default)]
    pub dynamic: bool,
}

/// A route the handler answers, from `match` arms with literal method and path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub method: String,
    pub path: String,
}

/// Proven properties of the handler.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Properties {
    pub pure: bool,
    pub read_only: bool,
    pub deterministic: bool,
    pub state_isolated: bool,
    pub retry_safe: bool,
    pub idempotent: bool,
}

impl Properties {
    /// The names (as in the contract JSON) of the properties that hold, in
    /// declaration order.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.pure, "pure"),
            (self.read_only, "readOnly"),
            (self.deterministic, "deterministic"),
            (self.state_isolated, "stateIsolated"),
            (self.retry_safe, "retrySafe"),
            (self.idempotent, "idempotent"),
        ]
        .into_iter()
        .filter_map(|(holds, name)| holds.then_some(name))
        .collect()
    }
}

/// The contract document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub version: u32,
    #[serde(default)]
    pub handler: Option<HandlerLocation>,
    /// Imported `zigttp:*` specifiers, sorted.
    #[serde(default)]
    pub modules: Vec<String>,
    /// Used functions per specifier, sorted.
    #[serde(default)]
    pub functions: BTreeMap<String, Vec<String>>,
    /// Union of the imported modules' required capabilities, canonical order.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
    /// [`crate::capability_hash`] of `capabilities`.
    #[serde(default)]
    pub capability_hash: String,
    /// Environment variable names read with `env(name)`.
    #[serde(default)]
    pub env: LiteralSet,
    /// Hosts reached with `fetch`/`fetchSync`.
    #[serde(default)]
    pub egress: LiteralSet,
    /// Cache namespaces used.
    #[serde(default)]
    pub cache: LiteralSet,
    #[serde(default)]
    pub sql: SqlSection,
    #[serde(default)]
    pub routes: Vec<Route>,
    #[serde(default)]
    pub properties: Properties,
}

impl Contract {
    /// Parses the contract section.
    pub fn from_json(bytes: &[u8]) -> Result<Contract, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The canonical, pretty-printed JSON (stable key order).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
