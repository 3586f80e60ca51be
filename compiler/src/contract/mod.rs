//! The contract: what the handler touches and what it is (DESIGN section 6).
//!
//! Built from the resolved AST: imported modules and the functions used,
//! the union of their capabilities with its hash, routes from `match` arms
//! with literal `method` and `path`, the values module calls touch (env
//! names, cache namespaces, egress hosts of `fetch`, SQL statements
//! registered with `sql`; `dynamic` when an argument is not a literal), and
//! the proven properties.

mod visit;

use crate::check::{BindingKind, Resolution, Resolved};
use crate::front::ast::*;
use crate::graph::Graph;
use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet};
use zigts_verifier::contract::{CONTRACT_VERSION, HandlerLocation, Properties, Route};
use zigts_verifier::contract::{LiteralSet, SqlQuery, SqlSection};
use zigts_verifier::modules::{Effect, ModuleDecl, find_module};
use zigts_verifier::{Capability, Contract, capability_hash};

/// Builds the contract of a resolved module graph.
pub fn build<'a>(graph: &Graph<'a>, res: &Resolution<'a>, modules: &[ModuleDecl]) -> Contract {
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

    // Const bindings to literals and object literals, for "literal" arguments
    // written through an alias (`const NS = "sessions"; cacheGet(NS, k)`).
    let mut consts: HashMap<u32, Expr<'a>> = HashMap::new();
    for module in &graph.modules {
        visit::declarations(&module.program, &mut |ident, init| {
            if let Some(&b) = res.decls.get(&crate::check::addr(ident))
                && res.bindings[b as usize].kind == BindingKind::Const
            {
                consts.insert(b, init);
            }
        });
    }
    let resolve = |e: Expr<'a>| -> Option<Expr<'a>> {
        match e {
            Expr::Ident(i) => match res.refs.get(&crate::check::addr(i)) {
                Some(Resolved::Binding(b)) => consts.get(b).copied(),
                _ => None,
            },
            other => Some(other),
        }
    };
    let literal = |e: Option<Expr<'a>>| -> Option<String> {
        match e.and_then(resolve)? {
            Expr::String(s) => Some(s.value.to_string()),
            Expr::Template(t) if t.exprs.is_empty() => {
                t.quasis.first().map(|q| q.cooked.to_string())
            }
            _ => None,
        }
    };

    let mut routes = Vec::new();
    let mut nondeterministic = false;
    let (mut env, mut cache, mut egress) = (
        LiteralSet::default(),
        LiteralSet::default(),
        LiteralSet::default(),
    );
    let mut sql = SqlSection::default();
    // The host of a literal URL, given as a string or as `{url: "..."}`; a
    // URL without an http(s) host counts as dynamic.
    let url_host = |e: Option<Expr<'a>>| -> Option<String> {
        let url = match e.and_then(resolve)? {
            Expr::Object(o) => o.props.iter().find_map(|p| match p {
                ObjectProp::Prop(p) if p.key.static_name() == Some("url") => literal(Some(p.value)),
                _ => None,
            }),
            other => literal(Some(other)),
        }?;
        zigts_vm::modules::url_host(&url)
    };
    let note = |set: &mut LiteralSet, v: Option<String>| match v {
        Some(v) => {
            if !set.literal.contains(&v) {
                set.literal.push(v);
            }
        }
        None => set.dynamic = true,
    };
    let mut visit_expr = |e: Expr<'a>| match e {
        Expr::Match(m) => routes.extend(m.arms.iter().filter_map(route_of)),
        Expr::Member(m) => {
            if let Expr::Ident(obj) = m.object {
                nondeterministic |= matches!(
                    (obj.name, m.property.name),
                    ("Date" | "performance", "now") | ("Math", "random")
                );
            }
        }
        Expr::Call(c) => {
            let Expr::Ident(callee) = c.callee else {
                return;
            };
            let Some(Resolved::Binding(b)) = res.refs.get(&crate::check::addr(callee)) else {
                return;
            };
            let Some((spec, name)) = res.bindings[*b as usize].import else {
                return;
            };
            let arg = |i: usize| match c.args.get(i) {
                Some(Arg::Expr(e)) => Some(*e),
                _ => None,
            };
            match (spec, name) {
                ("zigttp:env", "env") => note(&mut env, literal(arg(0))),
                ("zigttp:cache", "cacheStats") if arg(0).is_none() => {}
                ("zigttp:cache", _) => note(&mut cache, literal(arg(0))),
                ("zigttp:fetch", "fetch" | "fetchSync") => note(&mut egress, url_host(arg(0))),
                // Answers that depend on randomness or the clock, like
                // `Math.random()` and `Date.now()`.
                ("zigttp:id" | "zigttp:ratelimit", _) | ("zigttp:auth", "jwtVerify") => {
                    nondeterministic = true;
                }
                ("zigttp:sql", "sql") => match (literal(arg(0)), literal(arg(1))) {
                    (Some(name), Some(statement)) => {
                        if !sql.queries.iter().any(|q| q.name == name) {
                            let (operation, tables) =
                                zigts_vm::modules::describe_statement(&statement);
                            sql.queries.push(SqlQuery {
                                name,
                                operation,
                                tables,
                            });
                        }
                    }
                    _ => sql.dynamic = true,
                },
                ("zigttp:router", "routerMatch") => {
                    if let Some(Expr::Object(o)) = arg(0).and_then(resolve) {
                        routes.extend(router_routes(o));
                    }
                }
                _ => {}
            }
        }
        _ => {}
    };
    for module in &graph.modules {
        visit::program(&module.program, &mut visit_expr);
    }
    for set in [&mut env, &mut cache, &mut egress] {
        set.literal.sort();
    }
    sql.queries.sort_by(|a, b| a.name.cmp(&b.name));
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
        env,
        egress,
        cache,
        sql,
        routes,
        properties,
    }
}

/// Routes of a router table: keys `"METHOD /path"`.
fn router_routes(o: &ObjectLit<'_>) -> Vec<Route> {
    o.props
        .iter()
        .filter_map(|p| match p {
            ObjectProp::Prop(p) => p.key.static_name(),
            ObjectProp::Spread(_) => None,
        })
        .filter_map(|key| {
            let (method, path) = key.split_once(' ')?;
            (path.starts_with('/') && method.bytes().all(|b| b.is_ascii_uppercase())).then(|| {
                Route {
                    method: method.to_string(),
                    path: path.to_string(),
                }
            })
        })
        .collect()
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
