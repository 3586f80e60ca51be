//! Import check: the contract section parses, its capability hash matches its
//! capabilities, every import names an export of a module in the table, and
//! the contract declares every capability those modules require.

use crate::bundle::Bundle;
use crate::capability::capability_hash;
use crate::contract::Contract;
use crate::error::{VerifyError, VerifyErrorKind};
use crate::modules::{ModuleDecl, find_module};

pub(crate) fn check(bundle: &Bundle, modules: &[ModuleDecl]) -> Result<Contract, VerifyError> {
    let contract = Contract::from_json(&bundle.contract)
        .map_err(|e| VerifyError::bundle(VerifyErrorKind::InvalidContract(e)))?;
    if capability_hash(&contract.capabilities) != contract.capability_hash {
        return Err(VerifyError::bundle(VerifyErrorKind::CapabilityHashMismatch));
    }
    for import in &bundle.imports {
        let module = find_module(modules, &import.specifier).ok_or_else(|| {
            VerifyError::bundle(VerifyErrorKind::UnknownModule {
                specifier: import.specifier.clone(),
            })
        })?;
        if module.export(&import.export).is_none() {
            return Err(VerifyError::bundle(VerifyErrorKind::UnknownExport {
                specifier: import.specifier.clone(),
                export: import.export.clone(),
            }));
        }
        for cap in module.capabilities {
            if !contract.capabilities.contains(cap) {
                return Err(VerifyError::bundle(
                    VerifyErrorKind::CapabilityNotDeclared {
                        specifier: import.specifier.clone(),
                        capability: *cap,
                    },
                ));
            }
        }
    }
    Ok(contract)
}
