//! Capabilities a module may require, in the canonical order used for hashing.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// One capability (DESIGN section 6). The declaration order is canonical:
/// contracts list capabilities in it and [`capability_hash`] hashes in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    Env,
    Clock,
    Random,
    Crypto,
    Stderr,
    RuntimeCallback,
    Sqlite,
    Filesystem,
    Network,
    PolicyCheck,
    Websocket,
}

impl Capability {
    /// Every capability in canonical order.
    pub const ALL: [Capability; 11] = [
        Capability::Env,
        Capability::Clock,
        Capability::Random,
        Capability::Crypto,
        Capability::Stderr,
        Capability::RuntimeCallback,
        Capability::Sqlite,
        Capability::Filesystem,
        Capability::Network,
        Capability::PolicyCheck,
        Capability::Websocket,
    ];

    /// The name used in contracts and policies.
    pub fn name(self) -> &'static str {
        match self {
            Capability::Env => "env",
            Capability::Clock => "clock",
            Capability::Random => "random",
            Capability::Crypto => "crypto",
            Capability::Stderr => "stderr",
            Capability::RuntimeCallback => "runtime_callback",
            Capability::Sqlite => "sqlite",
            Capability::Filesystem => "filesystem",
            Capability::Network => "network",
            Capability::PolicyCheck => "policy_check",
            Capability::Websocket => "websocket",
        }
    }

    /// Parses a capability name.
    pub fn from_name(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// SHA-256 (lowercase hex) over each capability name followed by `\n`, in
/// canonical order after sorting and de-duplication (the reference's
/// `capabilityHash`).
pub fn capability_hash(caps: &[Capability]) -> String {
    let mut sorted = caps.to_vec();
    sorted.sort();
    sorted.dedup();
    let mut hasher = Sha256::new();
    for cap in sorted {
        hasher.update(cap.name().as_bytes());
        hasher.update(b"\n");
    }
    crate::hex(&hasher.finalize())
}
