//! Deploy artifacts (DESIGN section 8): signing keys, the attestation (a
//! JWS over the hashes of the exact bytes that run), the self-extracting
//! binary, the well-known document, and `zigttp verify`.
//!
//! The flow: `zigttp build` verifies the bundle, settles the policy (the
//! operator's file verbatim, or the canonical least policy), signs
//! [`attest::claims_for`] those bytes, and appends bundle, contract,
//! policy and JWS to a copy of the runtime. At start, [`open_payload`] (or
//! [`open_attested`] for `zigttp run --attestation`) recomputes every
//! signed hash from the bytes it is about to run and refuses on any
//! difference; the policy embedded is the policy enforced.

pub mod attest;
pub mod binary;
pub mod jws;
pub mod keys;
pub mod payload;
pub mod verify;
pub mod well_known;

use crate::app;
use attest::Attested;
use keys::Identity;
use payload::Payload;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use zigts_verifier::{Contract, VerifiedBundle};
use zigts_vm::Policy;

/// A handler ready to serve: the verified program, the policy in force,
/// and the attestation checked against both (if there is one).
#[derive(Debug)]
pub struct Loaded {
    pub program: Arc<VerifiedBundle>,
    pub policy: Policy,
    pub attestation: Option<Attested>,
}

/// The policy bytes a deployment signs and enforces: the file at `path`
/// verbatim, or, without one, the canonical least policy of the contract.
/// Returns a label for messages and the text.
pub fn policy_text(path: Option<&str>, contract: &Contract) -> Result<attest::PolicyText, String> {
    match path {
        Some(path) => Ok((path.to_owned(), app::read_text(path)?)),
        None => Ok((
            "the derived least policy".to_owned(),
            Policy::from_contract(contract).to_json(),
        )),
    }
}

/// Signs a bundle for deployment under a policy file (or the derived
/// least policy). Refuses a policy that does not grant what the contract
/// needs: such a binary could never start.
pub fn sign(
    bundle: Vec<u8>,
    policy_path: Option<&str>,
    identity: &Identity,
) -> Result<Payload, String> {
    let program = app::verify_bundle(&bundle)?;
    let (label, text) = policy_text(policy_path, program.contract())?;
    app::check_policy(&label, &text, program.contract())
        .map_err(|e| format!("refusing to sign: {e}"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let claims = attest::claims_for(&bundle, &program, text.as_bytes(), now);
    let attestation = jws::sign(identity, &claims);
    Ok(Payload {
        contract: program.bundle().contract.clone(),
        bundle,
        policy: text.into_bytes(),
        attestation,
    })
}

/// Checks a deploy binary's payload and prepares it to serve.
pub fn open_payload(p: &Payload, trust_key: Option<&str>) -> Result<Loaded, String> {
    let embedded = |_: &Contract| {
        let text = String::from_utf8(p.policy.clone())
            .map_err(|_| "refusing to start: the embedded policy is not UTF-8 text".to_string())?;
        Ok(("the embedded policy".to_owned(), text))
    };
    let (attested, program, (label, text)) =
        attest::check(&p.attestation, &p.bundle, trust_key, embedded)?;
    if p.contract != attested.contract_json {
        return Err(
            "refusing to start: the payload's contract section differs from the bundle's contract"
                .into(),
        );
    }
    let policy = app::check_policy(&label, &text, program.contract())
        .map_err(|e| format!("refusing to start: {e}"))?;
    Ok(Loaded {
        program,
        policy,
        attestation: Some(attested),
    })
}

/// `zigttp run BUNDLE --attestation FILE [--policy FILE]`: the attestation
/// must sign this bundle and this policy (the derived least policy when no
/// file is given).
pub fn open_attested(
    bundle_path: &str,
    policy_path: Option<&str>,
    jws_path: &str,
    trust_key: Option<&str>,
) -> Result<Loaded, String> {
    let bundle =
        std::fs::read(bundle_path).map_err(|e| format!("cannot read {bundle_path}: {e}"))?;
    let jws_text = app::read_text(jws_path)?;
    let (attested, program, (label, text)) =
        attest::check(&jws_text, &bundle, trust_key, |contract| {
            policy_text(policy_path, contract)
        })?;
    let policy = app::check_policy(&label, &text, program.contract())
        .map_err(|e| format!("refusing to start: {e}"))?;
    Ok(Loaded {
        program,
        policy,
        attestation: Some(attested),
    })
}
