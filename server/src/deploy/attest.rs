//! Binding an attestation to the bytes about to run.
//!
//! [`claims_for`] states what is signed: the SHA-256 of the whole `.zbc`
//! file, of the contract JSON as embedded in it, and of the policy JSON in
//! force, with the capability hash, the proven properties and the route
//! count. [`check`] is what a start runs before anything else: the JWS
//! must verify, its key must be the pinned one (if a pin is given), and
//! every hash must match bytes recomputed from what will actually run.
//! Any difference refuses the start, naming the claim.

use super::jws::{self, CLAIMS_VERSION, Claims, Verified};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use zigts_verifier::{Contract, VerifiedBundle, hex};

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The claims for a bundle run under a policy.
pub fn claims_for(bundle: &[u8], program: &VerifiedBundle, policy: &[u8], now: u64) -> Claims {
    let contract = program.contract();
    Claims {
        v: CLAIMS_VERSION.into(),
        bytecode_sha256: sha256_hex(bundle),
        contract_sha256: sha256_hex(&program.bundle().contract),
        policy_sha256: sha256_hex(policy),
        capability_hash: contract.capability_hash.clone(),
        properties: contract
            .properties
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        routes_count: contract.routes.len() as u64,
        runtime_version: concat!("zigttp ", env!("CARGO_PKG_VERSION")).into(),
        signed_at: now,
    }
}

/// The policy in force: a label for messages (a file name, "the embedded
/// policy") and its text, byte for byte as hashed.
pub type PolicyText = (String, String);

/// An attestation that matches the bytes it is served with.
#[derive(Clone, Debug)]
pub struct Attested {
    /// The compact JWS, as given.
    pub jws: String,
    pub verified: Verified,
    /// The contract JSON the claims hash, byte for byte.
    pub contract_json: Vec<u8>,
}

/// Checks a pin given as `--trust-key`: 64 hex digits (either case).
pub fn parse_trust_key(pin: &str) -> Result<String, String> {
    let lower = pin.trim().to_ascii_lowercase();
    if jws::is_hash_hex(&lower) {
        Ok(lower)
    } else {
        Err(format!(
            "--trust-key must be a key fingerprint: 64 hex digits (got {} characters)",
            pin.trim().len()
        ))
    }
}

fn mismatch(claim: &str, claimed: &str, actual: &str, what: &str) -> String {
    format!("refusing to start: the attestation's {claim} is {claimed}, but {what} is {actual}")
}

/// Checks `jws` against the bundle bytes about to run and the policy in
/// force, which `policy_for` gives for the bundle's contract as a label for
/// messages and the text (`trust_key` is a normalized pin). In this order:
/// signature, pin, bytecode hash (before the bundle is even decoded), then
/// the bundle is verified and the contract hash, policy hash and contract
/// facts are compared. Returns the attestation, the verified program and
/// the policy's label and text.
pub fn check(
    jws_text: &str,
    bundle: &[u8],
    trust_key: Option<&str>,
    policy_for: impl FnOnce(&Contract) -> Result<PolicyText, String>,
) -> Result<(Attested, Arc<VerifiedBundle>, PolicyText), String> {
    let verified = jws::verify(jws_text).map_err(|e| format!("refusing to start: {e}"))?;
    if let Some(pin) = trust_key.filter(|&pin| verified.fingerprint != pin) {
        return Err(format!(
            "refusing to start: the attestation is signed by key {}, not the trusted key {pin}",
            verified.fingerprint
        ));
    }
    let c = &verified.claims;
    let actual = sha256_hex(bundle);
    if c.bytecode_sha256 != actual {
        return Err(mismatch(
            "bytecodeSha256",
            &c.bytecode_sha256,
            &actual,
            "the bundle's SHA-256",
        ));
    }
    let program = crate::app::verify_bundle(bundle)?;
    let contract_json = program.bundle().contract.clone();
    let policy = policy_for(program.contract())?;
    let checks = [
        (
            "contractSha256",
            &c.contract_sha256,
            sha256_hex(&contract_json),
            "the embedded contract's SHA-256",
        ),
        (
            "policySha256",
            &c.policy_sha256,
            sha256_hex(policy.1.as_bytes()),
            "the policy's SHA-256",
        ),
    ];
    for (claim, claimed, actual, what) in checks {
        if *claimed != actual {
            return Err(mismatch(claim, claimed, &actual, what));
        }
    }
    consistent_with_contract(c, program.contract())?;
    let attested = Attested {
        jws: jws_text.trim_ascii().to_owned(),
        verified,
        contract_json,
    };
    Ok((attested, program, policy))
}

/// The claims that repeat contract facts must repeat them exactly (the
/// contract hash already binds the contract; this catches a signer that
/// claimed something else).
fn consistent_with_contract(c: &Claims, contract: &Contract) -> Result<(), String> {
    let recomputed = zigts_verifier::capability_hash(&contract.capabilities);
    if contract.capability_hash != recomputed {
        return Err(mismatch(
            "contract's capabilityHash",
            &contract.capability_hash,
            &recomputed,
            "the hash of its capabilities",
        ));
    }
    if c.capability_hash != contract.capability_hash {
        return Err(mismatch(
            "capabilityHash",
            &c.capability_hash,
            &contract.capability_hash,
            "the contract's",
        ));
    }
    let props = contract.properties.names();
    if c.properties != props {
        return Err(mismatch(
            "properties",
            &c.properties.join(", "),
            &props.join(", "),
            "the contract's",
        ));
    }
    if c.routes_count != contract.routes.len() as u64 {
        return Err(mismatch(
            "routesCount",
            &c.routes_count.to_string(),
            &contract.routes.len().to_string(),
            "the contract's",
        ));
    }
    Ok(())
}
