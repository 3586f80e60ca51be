//! The contract: what the handler touches and what it is (DESIGN section 6).
//!
//! Built from the resolved AST: imported modules and the functions used,
//! the union of their capabilities with its hash, routes from `match` arms
//! with literal `method` and `path`, and the proven properties.

mod visit;

use crate::check::{BindingKind, Resolution};
use crate::front::ast::*;
use crate::graph::Graph;
use std::collections::{BTreeMap, BTreeSet};
use zigts_verifier::contract::{CONTRACT_VERSION, HandlerLocation, Properties, Route};
use zigts_verifier::modules::{Effect, ModuleDecl, find_module};
use zigts_verifier::{Capability, Contract, capability_hash};

/// Builds the contract of a resolved module graph.
pub fn build(graph: &Graph<'_>, res: &Resolution<'_>, modules: &[ModuleDecl]) -> Contract {
    let mut functions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut caps: BTreeSet<Capability> = BTreeSet::new();
    let mut writes = false;
    for b in &res.bindings {
        if let (BindingKind::Import, Some((spec, name))) = (b.kind, b.import) {
            functions
                .entry(spec.to_string())
                .or_default()
                .insert(name.to_string());
            if let Some(m) = find_module(modules, spec) {
                caps.extend(m.capabilities.iter().copied());
                writes |= m
                    .export(name)
                    .is_some_and(|(_, e)| e.effect == Effect::Write);
            }
        }
    }
    let capabilities: Vec<Capability> = caps.into_iter().collect();

    let entry = graph.modules.last().map(|m| m.file);
    let handler = res
        .bindings
        .iter()
        .find(|b| b.module_level && b.name == "handler" && Some(b.file) == entry)
        .map(|b| {
            let source = &graph.sources[b.file.0 as usize];
            let (line, column) = source.line_col(b.span.start);
            HandlerLocation {
                path: source.name.clone(),
                line,
                column,
            }
        });

    let mut routes = Vec::new();
    let mut nondeterministic = false;
    let mut visit_expr = |e: Expr<'_>| match e {
        Expr::Match(m) => routes.extend(m.arms.iter().filter_map(route_of)),
        Expr::Member(m) => {
            if let Expr::Ident(obj) = m.object {
                nondeterministic |= matches!(
                    (obj.name, m.property.name),
                    ("Date" | "performance", "now") | ("Math", "random")
                );
            }
        }
        _ => {}
    };
    for module in &graph.modules {
        visit::program(&module.program, &mut visit_expr);
    }
    routes.sort_by(|a: &Route, b: &Route| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
    routes.dedup();

    let pure = functions.is_empty();
    let read_only = !writes;
    let deterministic = !nondeterministic;
    let properties = Properties {
        pure,
        read_only,
        deterministic,
        // Enforced by ZTS310: no function writes module state.
        state_isolated: true,
        retry_safe: read_only,
        idempotent: deterministic && read_only,
    };
    Contract {
        version: CONTRACT_VERSION,
        handler,
        modules: functions.keys().cloned().collect(),
        functions: functions
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect(),
        capability_hash: capability_hash(&capabilities),
        capabilities,
        env: zigts_verifier::contract::LiteralSet::default(),
        routes,
        properties,
    }
}

fn route_of(arm: &MatchArm<'_>) -> Option<Route> {
    let MatchTest::When(MatchPattern::Object(o)) = arm.test else {
        return None;
    };
    let literal = |key: &str| {
        o.props
            .iter()
            .find(|p| p.key == key)
            .and_then(|p| match p.value {
                MatchPattern::String(s) => Some(s.value.to_string()),
                _ => None,
            })
    };
    Some(Route {
        method: literal("method")?,
        path: literal("path")?,
    })
}
