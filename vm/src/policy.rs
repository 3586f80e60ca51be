//! What an operator grants (DESIGN section 6): capabilities and allow-lists
//! for env names, egress hosts, cache namespaces and SQL queries.
//!
//! The policy file is JSON:
//! `{"capabilities": ["env", "policy_check"], "env": {"allow": ["API_KEY"]},
//!   "egress": {"allow_hosts": ["api.example.com"]}, "cache":
//!   {"allow_namespaces": ["sessions"]}, "sql": {"allow_queries": ["getUser"]}}`.
//! What it does not name is not granted: a missing section allows nothing;
//! unknown keys and capability names are errors. A section may instead say
//! `{"any": true}` to allow every value (what a derived policy says for a
//! contract that uses the section with computed values).
//! [`Policy::to_json`] writes the canonical form, which is what a deploy
//! binary embeds and its attestation hashes.

use serde::Deserialize;
use std::collections::BTreeSet;
use zigts_verifier::{Capability, Contract};

/// An allow-list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allow {
    /// Everything (a section derived from a contract that uses it dynamically).
    Any,
    /// Exactly these values.
    Only(BTreeSet<String>),
}

impl Allow {
    pub fn none() -> Allow {
        Allow::Only(BTreeSet::new())
    }
    /// Whether `value` is allowed (`case_insensitive` for host names).
    pub fn allows(&self, value: &str, case_insensitive: bool) -> bool {
        match self {
            Allow::Any => true,
            Allow::Only(set) if case_insensitive => {
                set.iter().any(|v| v.eq_ignore_ascii_case(value))
            }
            Allow::Only(set) => set.contains(value),
        }
    }
    fn describe(&self) -> String {
        match self {
            Allow::Any => "any".into(),
            Allow::Only(set) if set.is_empty() => "none".into(),
            Allow::Only(set) => set.iter().cloned().collect::<Vec<_>>().join(", "),
        }
    }
}

/// The granted surface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub capabilities: BTreeSet<Capability>,
    pub env: Allow,
    pub egress: Allow,
    pub cache: Allow,
    pub sql: Allow,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvSection {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    any: bool,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EgressSection {
    #[serde(default)]
    allow_hosts: Vec<String>,
    #[serde(default)]
    any: bool,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CacheSection {
    #[serde(default)]
    allow_namespaces: Vec<String>,
    #[serde(default)]
    any: bool,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SqlSection {
    #[serde(default)]
    allow_queries: Vec<String>,
    #[serde(default)]
    any: bool,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    capabilities: Vec<String>,
    env: Option<EnvSection>,
    egress: Option<EgressSection>,
    cache: Option<CacheSection>,
    sql: Option<SqlSection>,
}

fn only(values: Vec<String>, any: bool, what: &str) -> Result<Allow, String> {
    if any {
        return if values.is_empty() {
            Ok(Allow::Any)
        } else {
            Err(format!(
                "invalid policy: a {what} section has both \"any\": true and a list"
            ))
        };
    }
    if let Some(bad) = values.iter().find(|v| v.is_empty()) {
        return Err(format!("empty {what} entry {bad:?}"));
    }
    Ok(Allow::Only(values.into_iter().collect()))
}

impl Policy {
    /// Grants everything (development `serve` without a policy, and tests).
    pub fn allow_all() -> Policy {
        Policy {
            capabilities: Capability::ALL.into_iter().collect(),
            env: Allow::Any,
            egress: Allow::Any,
            cache: Allow::Any,
            sql: Allow::Any,
        }
    }

    /// Parses a policy file.
    pub fn from_json(text: &str) -> Result<Policy, String> {
        let file: PolicyFile =
            serde_json::from_str(text).map_err(|e| format!("invalid policy: {e}"))?;
        let mut capabilities = BTreeSet::new();
        for name in &file.capabilities {
            capabilities.insert(
                Capability::from_name(name)
                    .ok_or_else(|| format!("invalid policy: unknown capability '{name}'"))?,
            );
        }
        Ok(Policy {
            capabilities,
            env: file
                .env
                .map_or(Ok(Allow::none()), |s| only(s.allow, s.any, "env"))?,
            egress: file.egress.map_or(Ok(Allow::none()), |s| {
                only(s.allow_hosts, s.any, "egress host")
            })?,
            cache: file.cache.map_or(Ok(Allow::none()), |s| {
                only(s.allow_namespaces, s.any, "cache namespace")
            })?,
            sql: file.sql.map_or(Ok(Allow::none()), |s| {
                only(s.allow_queries, s.any, "sql query")
            })?,
        })
    }

    /// The least policy a contract needs: its capabilities, and each section
    /// restricted to the literals it proves (open when its use is dynamic).
    pub fn from_contract(c: &Contract) -> Policy {
        let section = |set: &zigts_verifier::contract::LiteralSet| {
            if set.dynamic {
                Allow::Any
            } else {
                Allow::Only(set.literal.iter().cloned().collect())
            }
        };
        Policy {
            capabilities: c.capabilities.iter().copied().collect(),
            env: section(&c.env),
            egress: section(&c.egress),
            cache: section(&c.cache),
            sql: if c.sql.dynamic {
                Allow::Any
            } else {
                Allow::Only(c.sql.queries.iter().map(|q| q.name.clone()).collect())
            },
        }
    }

    /// Everything the contract needs that this policy does not grant, one
    /// line each (empty when the bundle may be mounted).
    pub fn excesses(&self, c: &Contract) -> Vec<String> {
        let mut out = Vec::new();
        for cap in &c.capabilities {
            if !self.capabilities.contains(cap) {
                out.push(format!("capability '{cap}' is not granted"));
            }
        }
        let mut check =
            |what: &str, set: &zigts_verifier::contract::LiteralSet, allow: &Allow, ci: bool| {
                for v in &set.literal {
                    if !allow.allows(v, ci) {
                        out.push(format!("{what} '{v}' is not allowed"));
                    }
                }
                if set.dynamic && *allow != Allow::Any {
                    out.push(format!("dynamic {what} access is not allowed"));
                }
            };
        check("env", &c.env, &self.env, false);
        check("egress host", &c.egress, &self.egress, true);
        check("cache namespace", &c.cache, &self.cache, false);
        for q in &c.sql.queries {
            if !self.sql.allows(&q.name, false) {
                out.push(format!("sql query '{}' is not allowed", q.name));
            }
        }
        if c.sql.dynamic && self.sql != Allow::Any {
            out.push("dynamic sql access is not allowed".into());
        }
        out
    }

    /// The canonical policy file for this policy (pretty-printed, fixed key
    /// order, every section written): [`Policy::from_json`] reads it back
    /// to an equal policy.
    pub fn to_json(&self) -> String {
        let section = |allow: &Allow, key: &str| match allow {
            Allow::Any => serde_json::json!({ "any": true }),
            Allow::Only(set) => serde_json::json!({ key: set }),
        };
        let caps: Vec<&str> = self.capabilities.iter().map(|c| c.name()).collect();
        let doc = serde_json::json!({
            "capabilities": caps,
            "env": section(&self.env, "allow"),
            "egress": section(&self.egress, "allow_hosts"),
            "cache": section(&self.cache, "allow_namespaces"),
            "sql": section(&self.sql, "allow_queries"),
        });
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Whether a capability is granted.
    pub fn grants(&self, cap: Capability) -> bool {
        self.capabilities.contains(&cap)
    }

    /// One line for the start-up log.
    pub fn summary(&self) -> String {
        let caps: Vec<&str> = self.capabilities.iter().map(|c| c.name()).collect();
        format!(
            "capabilities [{}]; env: {}; egress: {}; cache: {}; sql: {}",
            caps.join(", "),
            self.env.describe(),
            self.egress.describe(),
            self.cache.describe(),
            self.sql.describe()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_section_allows_nothing_and_unknown_keys_fail() {
        let p =
            Policy::from_json(r#"{"capabilities":["env","policy_check"],"env":{"allow":["A"]}}"#)
                .unwrap();
        assert!(p.env.allows("A", false));
        assert!(!p.env.allows("B", false));
        assert!(!p.cache.allows("x", false));
        assert!(p.grants(Capability::Env));
        assert!(!p.grants(Capability::Network));
        assert!(
            Policy::from_json(r#"{"envs":{}}"#)
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(
            Policy::from_json(r#"{"capabilities":["teleport"]}"#)
                .unwrap_err()
                .contains("teleport")
        );
        assert!(Policy::from_json(r#"{"env":{"allow":[""]}}"#).is_err());
    }

    #[test]
    fn canonical_json_reads_back_equal() {
        let p = Policy::from_json(
            r#"{"capabilities":["env","policy_check"],"env":{"allow":["B","A"]},"egress":{"any":true}}"#,
        )
        .unwrap();
        assert_eq!(p.egress, Allow::Any);
        let text = p.to_json();
        assert_eq!(Policy::from_json(&text).unwrap(), p);
        assert_eq!(Policy::from_json(&text).unwrap().to_json(), text);
        assert_eq!(
            Policy::from_json(&Policy::allow_all().to_json()).unwrap(),
            Policy::allow_all()
        );
        assert!(
            Policy::from_json(r#"{"env":{"allow":["A"],"any":true}}"#)
                .unwrap_err()
                .contains("both")
        );
    }

    #[test]
    fn excesses_name_each_missing_grant() {
        let mut c = Contract {
            capabilities: vec![Capability::Env, Capability::PolicyCheck],
            ..Contract::default()
        };
        c.env.literal = vec!["API_KEY".into(), "OTHER".into()];
        let p =
            Policy::from_json(r#"{"capabilities":["env"],"env":{"allow":["API_KEY"]}}"#).unwrap();
        assert_eq!(
            p.excesses(&c),
            vec![
                "capability 'policy_check' is not granted",
                "env 'OTHER' is not allowed"
            ]
        );
        assert!(Policy::from_contract(&c).excesses(&c).is_empty());
    }
}
