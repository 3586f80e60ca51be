//! Semantic checks and name resolution, run before codegen.
//!
//! One walk over the AST with a scope stack. It gives every function an
//! index (pre-order, so a parent always precedes its children, as the
//! bundle requires), every binding an id, and every identifier its
//! resolution; it marks bindings captured by nested functions (codegen puts
//! those in cells) and reports:
//!
//! - ZTS020: a name that is not declared (or is used before its declaration
//!   in the same function),
//! - ZTS016: assignment to a `const`, a function, an import or a built-in,
//! - ZTS310: a module-level binding assigned inside a function (state
//!   isolation: module state is frozen after load),
//! - ZTS037: an import from an unknown or not-yet-implemented module.
//! - ZTS321: WebSocket callbacks exported without importing `zigttp:websocket`.

use crate::front::ast::*;
use crate::front::diag::{Diagnostic, FileId};
use crate::graph::Graph;
use std::collections::{HashMap, HashSet};
use zigts_verifier::builtins::builtin_index;
use zigts_verifier::modules::{ModuleDecl, find_module};

/// Index of a function in the bundle (0 is the module initializer).
pub type FuncId = u32;
/// Index of a binding in [`Resolution::bindings`].
pub type BindingId = u32;

/// What declared a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    Let,
    Const,
    Param,
    Function,
    Import,
    /// `distinct type X`: `X(v)` is the identity function.
    Distinct,
}

/// One binding.
#[derive(Clone, Debug)]
pub struct Binding<'a> {
    pub name: &'a str,
    pub kind: BindingKind,
    /// The function whose frame holds it (0 for module level).
    pub owner: FuncId,
    /// Declared in the module's top-level scope: stored in a module slot.
    pub module_level: bool,
    /// Referenced from a function other than its owner: lives in a cell.
    pub captured: bool,
    /// Assigned after its declaration.
    pub reassigned: bool,
    pub span: Span,
    /// The file that declares it.
    pub file: FileId,
    /// For imports: (specifier, exported name).
    pub import: Option<(&'a str, &'a str)>,
}

/// What an identifier refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    Binding(BindingId),
    Builtin(u16),
    /// `NaN` or `Infinity`.
    Number(u64),
}

/// The result of resolution, keyed by AST node address.
#[derive(Debug, Default)]
pub struct Resolution<'a> {
    pub bindings: Vec<Binding<'a>>,
    /// `&IdentRef` address -> resolution.
    pub refs: HashMap<usize, Resolved>,
    /// `&BindingIdent` address -> binding.
    pub decls: HashMap<usize, BindingId>,
    /// `&Function` address -> function index.
    pub funcs: HashMap<usize, FuncId>,
    /// Parent of each function (index by FuncId; `None` for 0).
    pub parents: Vec<Option<FuncId>>,
    /// Module-level bindings in slot order.
    pub globals: Vec<BindingId>,
}

pub fn addr<T>(r: &T) -> usize {
    std::ptr::from_ref(r) as usize
}

struct Scope<'a> {
    names: HashMap<&'a str, BindingId>,
}

/// What a module exports under a name.
#[derive(Clone, Copy)]
enum ExportTarget {
    Value(BindingId),
    /// A type, erased: importing it binds nothing.
    Type,
}

struct Resolver<'a, 'm> {
    file: FileId,
    /// Names the current module imported from other files (read-only aliases).
    imported: HashSet<&'a str>,
    /// Exports of each module already resolved, by index in the graph.
    exports: Vec<HashMap<&'a str, ExportTarget>>,
    modules: &'m [ModuleDecl],
    planned: &'m [&'m str],
    res: Resolution<'a>,
    scopes: Vec<Scope<'a>>,
    func_stack: Vec<FuncId>,
    diags: Vec<Diagnostic>,
}

/// Resolves every module of `graph` (in dependency order). Errors are
/// returned in order of discovery; the first one is the one to show.
pub fn resolve<'a>(
    graph: &Graph<'a>,
    modules: &[ModuleDecl],
    planned: &[&str],
) -> Result<Resolution<'a>, Vec<Diagnostic>> {
    let mut r = Resolver {
        file: FileId(0),
        imported: HashSet::new(),
        exports: Vec::new(),
        modules,
        planned,
        res: Resolution::default(),
        scopes: Vec::new(),
        func_stack: vec![0],
        diags: Vec::new(),
    };
    r.res.parents.push(None);
    for (idx, module) in graph.modules.iter().enumerate() {
        r.file = module.file;
        r.imported.clear();
        r.scopes = vec![Scope {
            names: HashMap::new(),
        }];
        for stmt in module.program.stmts {
            if let Stmt::Import(import) = stmt {
                match module.deps.get(&addr(*import)) {
                    Some(&dep) => r.file_import(import, dep),
                    None => r.import(import),
                }
            }
        }
        r.hoist(module.program.stmts);
        for stmt in module.program.stmts {
            r.stmt(*stmt);
        }
        let exports = r.module_exports(module.program.stmts);
        debug_assert_eq!(r.exports.len(), idx);
        r.exports.push(exports);
        if !r.diags.is_empty() {
            break;
        }
    }
    if r.diags.is_empty() {
        r.check_websocket_exports();
    }
    if r.diags.is_empty() {
        Ok(r.res)
    } else {
        Err(r.diags)
    }
}

impl<'a> Resolver<'a, '_> {
    fn current_func(&self) -> FuncId {
        *self.func_stack.last().unwrap_or(&0)
    }

    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn declare(&mut self, ident: &'a BindingIdent<'a>, kind: BindingKind) -> BindingId {
        let module_level = self.scopes.len() == 1;
        let func = self.current_func();
        let id = self.res.bindings.len() as BindingId;
        self.res.bindings.push(Binding {
            name: ident.name,
            kind,
            owner: func,
            module_level,
            captured: false,
            reassigned: false,
            span: ident.span,
            file: self.file,
            import: None,
        });
        if module_level {
            self.res.globals.push(id);
        }
        let scope = self.scopes.last_mut().expect("scope");
        if let Some(prev) = scope.names.insert(ident.name, id) {
            let prev_span = self.res.bindings[prev as usize].span;
            if prev_span != ident.span {
                self.error(
                    Diagnostic::error(
                        "ZTS019",
                        self.file,
                        ident.span,
                        format!("'{}' is already declared in this scope", ident.name),
                    )
                    .with_suggestion("rename one of the bindings"),
                );
            }
        }
        self.res.decls.insert(addr(ident), id);
        id
    }

    /// Declares the let/const/function names of a block up front, so that
    /// functions can refer to bindings declared after them.
    fn hoist(&mut self, stmts: &'a [Stmt<'a>]) {
        for stmt in stmts {
            match stmt {
                Stmt::Var(v) => {
                    let kind = if v.kind == VarKind::Const {
                        BindingKind::Const
                    } else {
                        BindingKind::Let
                    };
                    for d in v.decls {
                        d.pattern.for_each_binding(&mut |b| {
                            self.declare(b, kind);
                        });
                    }
                }
                Stmt::Function(f) => {
                    if let Some(name) = &f.function.name {
                        self.declare(name, BindingKind::Function);
                    }
                }
                Stmt::Type(t) if t.kind == TypeDeclKind::Distinct => {
                    self.declare(&t.name, BindingKind::Distinct);
                    // Its constructor is a compiled identity function.
                    let id = self.res.parents.len() as FuncId;
                    self.res.parents.push(Some(self.current_func()));
                    self.res.funcs.insert(addr(*t), id);
                }
                _ => {}
            }
        }
    }

    fn import(&mut self, import: &'a ImportDecl<'a>) {
        if import.type_only {
            return;
        }
        let spec = import.source.value;
        let module = find_module(self.modules, spec);
        if module.is_none() {
            let d = if self.planned.contains(&spec) {
                Diagnostic::error(
                    "ZTS037",
                    self.file,
                    import.source.span,
                    format!("module '{spec}' is not implemented yet"),
                )
                .with_suggestion(
                    "this virtual module is planned; it cannot be imported in this version",
                )
            } else {
                Diagnostic::error(
                    "ZTS037",
                    self.file,
                    import.source.span,
                    format!("unknown module '{spec}'"),
                )
                .with_suggestion(
                    "virtual modules are named 'zigttp:<name>'; relative imports start with './'",
                )
            };
            self.error(d);
        }
        for s in import.specifiers {
            if s.type_only {
                continue;
            }
            if let Some(m) = module
                && m.export(s.imported.name).is_none()
            {
                self.error(Diagnostic::error(
                    "ZTS037",
                    self.file,
                    s.imported.span,
                    format!("module '{spec}' has no export '{}'", s.imported.name),
                ));
            }
            let id = self.declare(&s.local, BindingKind::Import);
            self.res.bindings[id as usize].import = Some((spec, s.imported.name));
        }
    }

    /// `import { a as b } from "./x.ts"`: `b` names the very binding `a` of
    /// module `x` (so both share one module slot), read-only here.
    fn file_import(&mut self, import: &'a ImportDecl<'a>, dep: usize) {
        for s in import.specifiers {
            if s.type_only {
                continue;
            }
            match self
                .exports
                .get(dep)
                .and_then(|e| e.get(s.imported.name))
                .copied()
            {
                Some(ExportTarget::Value(b)) => {
                    let scope = self.scopes.last_mut().expect("module scope");
                    scope.names.insert(s.local.name, b);
                    self.imported.insert(s.local.name);
                    self.res.decls.insert(addr(&s.local), b);
                }
                Some(ExportTarget::Type) => {}
                None => self.error(
                    Diagnostic::error(
                        "ZTS037",
                        self.file,
                        s.imported.span,
                        format!(
                            "module '{}' has no export '{}'",
                            import.source.value, s.imported.name
                        ),
                    )
                    .with_suggestion("export it with 'export function' or 'export const'"),
                ),
            }
        }
    }

    /// ZTS321: WebSocket callbacks exported by the entry module need
    /// `zigttp:websocket` imported somewhere in the program (its capability
    /// is what lets the server accept upgrades).
    fn check_websocket_exports(&mut self) {
        let Some(entry) = self.exports.last() else {
            return;
        };
        let imports_ws = self
            .res
            .bindings
            .iter()
            .any(|b| b.import.is_some_and(|(spec, _)| spec == "zigttp:websocket"));
        if imports_ws {
            return;
        }
        let mut found: Vec<(&str, BindingId)> = ["onOpen", "onMessage", "onClose"]
            .into_iter()
            .filter_map(|name| match entry.get(name) {
                Some(ExportTarget::Value(b)) => Some((name, *b)),
                _ => None,
            })
            .collect();
        found.sort_by_key(|&(_, b)| self.res.bindings[b as usize].span.start);
        if let Some(&(name, b)) = found.first() {
            let binding = &self.res.bindings[b as usize];
            let d = Diagnostic::error(
                "ZTS321",
                binding.file,
                binding.span,
                format!("'{name}' is a WebSocket callback, but 'zigttp:websocket' is not imported"),
            )
            .with_suggestion(
                "import what the callback uses from \"zigttp:websocket\" (e.g. send); its capability lets the server accept WebSocket upgrades",
            );
            self.error(d);
        }
    }

    /// The exports of a resolved module's top level.
    fn module_exports(&self, stmts: &'a [Stmt<'a>]) -> HashMap<&'a str, ExportTarget> {
        let mut out = HashMap::new();
        let scope = &self.scopes[0];
        for stmt in stmts {
            match stmt {
                Stmt::Function(f) if f.exported => {
                    if let Some(n) = &f.function.name
                        && let Some(&b) = scope.names.get(n.name)
                    {
                        out.insert(n.name, ExportTarget::Value(b));
                    }
                }
                Stmt::Var(v) if v.exported => {
                    for d in v.decls {
                        d.pattern.for_each_binding(&mut |bi| {
                            if let Some(&b) = scope.names.get(bi.name) {
                                out.insert(bi.name, ExportTarget::Value(b));
                            }
                        });
                    }
                }
                Stmt::Type(t) if t.exported => {
                    let target = match (t.kind, scope.names.get(t.name.name)) {
                        (TypeDeclKind::Distinct, Some(&b)) => ExportTarget::Value(b),
                        _ => ExportTarget::Type,
                    };
                    out.insert(t.name.name, target);
                }
                _ => {}
            }
        }
        out
    }

    fn lookup(&self, name: &str) -> Option<BindingId> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.names.get(name).copied())
    }

    fn reference(&mut self, ident: &'a IdentRef<'a>) {
        let resolved = match self.lookup(ident.name) {
            Some(id) => {
                let b = &self.res.bindings[id as usize];
                let here = self.current_func();
                if b.owner != here {
                    if !b.module_level {
                        self.res.bindings[id as usize].captured = true;
                    }
                } else if b.file == self.file
                    && ident.span.start < b.span.start
                    && !matches!(
                        b.kind,
                        BindingKind::Function | BindingKind::Import | BindingKind::Distinct
                    )
                {
                    self.error(
                        Diagnostic::error(
                            "ZTS020",
                            self.file,
                            ident.span,
                            format!("'{}' is used before its declaration", ident.name),
                        )
                        .with_suggestion("declare it before this use"),
                    );
                }
                Resolved::Binding(id)
            }
            None => match (ident.name, builtin_index(ident.name)) {
                ("NaN", _) => Resolved::Number(f64::NAN.to_bits()),
                ("Infinity", _) => Resolved::Number(f64::INFINITY.to_bits()),
                (_, Some(b)) => Resolved::Builtin(b),
                (name, None) => {
                    self.error(
                        Diagnostic::error(
                            "ZTS020",
                            self.file,
                            ident.span,
                            format!("'{name}' is not defined"),
                        )
                        .with_suggestion("declare it with 'const' or 'let', or import it"),
                    );
                    return;
                }
            },
        };
        self.res.refs.insert(addr(ident), resolved);
    }

    fn assign_to(&mut self, ident: &'a IdentRef<'a>) {
        self.reference(ident);
        let Some(Resolved::Binding(id)) = self.res.refs.get(&addr(ident)).copied() else {
            if let Some(Resolved::Builtin(_) | Resolved::Number(_)) =
                self.res.refs.get(&addr(ident))
            {
                self.error(Diagnostic::error(
                    "ZTS016",
                    self.file,
                    ident.span,
                    format!("cannot assign to built-in '{}'", ident.name),
                ));
            }
            return;
        };
        let through_import = self.imported.contains(ident.name)
            && self
                .scopes
                .iter()
                .skip(1)
                .all(|s| !s.names.contains_key(ident.name));
        if through_import {
            self.error(
                Diagnostic::error(
                    "ZTS016",
                    self.file,
                    ident.span,
                    format!("cannot assign to import '{}'", ident.name),
                )
                .with_suggestion("imports are read-only; assign to a local copy instead"),
            );
            return;
        }
        let b = &self.res.bindings[id as usize];
        let (kind, module_level, name) = (b.kind, b.module_level, b.name);
        if kind != BindingKind::Let && kind != BindingKind::Param {
            let what = match kind {
                BindingKind::Const => "constant",
                BindingKind::Function => "function",
                BindingKind::Import => "import",
                _ => "type",
            };
            self.error(
                Diagnostic::error(
                    "ZTS016",
                    self.file,
                    ident.span,
                    format!("cannot assign to {what} '{name}'"),
                )
                .with_suggestion("declare it with 'let' if it must change"),
            );
            return;
        }
        if module_level && self.current_func() != 0 {
            self.error(
                Diagnostic::error(
                    "ZTS310",
                    self.file,
                    ident.span,
                    format!(
                        "handler mutates module-scope state: '{name}' is assigned inside a function"
                    ),
                )
                .with_suggestion(
                    "module state is frozen after load; keep per-request state in local variables",
                ),
            );
            return;
        }
        self.res.bindings[id as usize].reassigned = true;
    }

    fn block(&mut self, stmts: &'a [Stmt<'a>]) {
        self.scopes.push(Scope {
            names: HashMap::new(),
        });
        self.hoist(stmts);
        for s in stmts {
            self.stmt(*s);
        }
        self.scopes.pop();
    }

    fn stmt(&mut self, stmt: Stmt<'a>) {
        match stmt {
            Stmt::Expr(e) => self.expr(e.expr),
            Stmt::Var(v) => {
                for d in v.decls {
                    if let Some(init) = d.init {
                        self.expr(init);
                    }
                    self.pattern_defaults(d.pattern);
                }
            }
            Stmt::Function(f) => self.function(&f.function),
            Stmt::Import(_)
            | Stmt::Type(_)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::Empty(_) => {}
            Stmt::Block(b) => self.block(b.stmts),
            Stmt::If(i) => {
                self.expr(i.test);
                self.scoped_stmt(i.consequent);
                if let Some(alt) = i.alternate {
                    self.scoped_stmt(alt);
                }
            }
            Stmt::ForOf(f) => {
                self.expr(f.iterable);
                self.scopes.push(Scope {
                    names: HashMap::new(),
                });
                let kind = if f.kind == VarKind::Const {
                    BindingKind::Const
                } else {
                    BindingKind::Let
                };
                f.pattern.for_each_binding(&mut |b| {
                    self.declare(b, kind);
                });
                self.pattern_defaults(f.pattern);
                self.scoped_stmt(f.body);
                self.scopes.pop();
            }
            Stmt::Return(r) => {
                if let Some(a) = r.arg {
                    self.expr(a);
                }
            }
            Stmt::Assert(a) => {
                self.expr(a.test);
                if let Some(v) = a.value {
                    self.expr(v);
                }
            }
        }
    }

    /// A statement in its own block scope (if/else branches, loop bodies).
    fn scoped_stmt(&mut self, stmt: Stmt<'a>) {
        match stmt {
            Stmt::Block(b) => self.block(b.stmts),
            // A lone statement cannot declare anything; it still gets its own scope.
            other => {
                self.scopes.push(Scope {
                    names: HashMap::new(),
                });
                self.stmt(other);
                self.scopes.pop();
            }
        }
    }

    fn pattern_defaults(&mut self, p: Pattern<'a>) {
        match p {
            Pattern::Ident(_) => {}
            Pattern::Object(o) => {
                for prop in o.props {
                    if let PropKey::Computed(c) = prop.key {
                        self.expr(c.expr);
                    }
                    if let Some(d) = prop.default {
                        self.expr(d);
                    }
                    self.pattern_defaults(prop.value);
                }
            }
            Pattern::Array(a) => {
                for e in a.elems.iter().flatten() {
                    if let Some(d) = e.default {
                        self.expr(d);
                    }
                    self.pattern_defaults(e.pattern);
                }
                if let Some(rest) = &a.rest {
                    self.pattern_defaults(rest.pattern);
                }
            }
        }
    }

    fn function(&mut self, f: &'a Function<'a>) {
        let id = self.res.parents.len() as FuncId;
        self.res.parents.push(Some(self.current_func()));
        self.res.funcs.insert(addr(f), id);
        self.func_stack.push(id);
        self.scopes.push(Scope {
            names: HashMap::new(),
        });
        for p in f.params {
            p.pattern.for_each_binding(&mut |b| {
                self.declare(b, BindingKind::Param);
            });
        }
        if let Some(rest) = &f.rest {
            rest.pattern.for_each_binding(&mut |b| {
                self.declare(b, BindingKind::Param);
            });
        }
        for p in f.params {
            if let Some(d) = p.default {
                self.expr(d);
            }
            self.pattern_defaults(p.pattern);
        }
        if let Some(rest) = &f.rest {
            self.pattern_defaults(rest.pattern);
        }
        match f.body {
            FunctionBody::Block(b) => self.block(b.stmts),
            FunctionBody::Expr(e) => self.expr(e),
        }
        self.scopes.pop();
        self.func_stack.pop();
    }

    fn expr(&mut self, e: Expr<'a>) {
        match e {
            Expr::Number(_) | Expr::String(_) | Expr::Bool(_) | Expr::Undefined(_) => {}
            Expr::Template(t) => t.exprs.iter().for_each(|x| self.expr(*x)),
            Expr::Ident(i) => self.reference(i),
            Expr::Array(a) => {
                for el in a.elems {
                    match el {
                        ArrayElem::Expr(x) => self.expr(*x),
                        ArrayElem::Spread(s) => self.expr(s.arg),
                        ArrayElem::Hole(_) => {}
                    }
                }
            }
            Expr::Object(o) => {
                for p in o.props {
                    match p {
                        ObjectProp::Prop(p) => {
                            if let PropKey::Computed(c) = p.key {
                                self.expr(c.expr);
                            }
                            self.expr(p.value);
                        }
                        ObjectProp::Spread(s) => self.expr(s.arg),
                    }
                }
            }
            Expr::Function(f) => self.function(f),
            Expr::Member(m) => self.expr(m.object),
            Expr::Index(i) => {
                self.expr(i.object);
                self.expr(i.index);
            }
            Expr::Call(c) => {
                self.expr(c.callee);
                for a in c.args {
                    match a {
                        Arg::Expr(x) => self.expr(*x),
                        Arg::Spread(s) => self.expr(s.arg),
                    }
                }
            }
            Expr::Chain(c) => self.expr(c.expr),
            Expr::Unary(u) => self.expr(u.arg),
            Expr::Binary(b) => {
                self.expr(b.left);
                self.expr(b.right);
            }
            Expr::Logical(l) => {
                self.expr(l.left);
                self.expr(l.right);
            }
            Expr::Conditional(c) => {
                self.expr(c.test);
                self.expr(c.consequent);
                self.expr(c.alternate);
            }
            Expr::Assign(a) => {
                match a.target {
                    AssignTarget::Ident(i) => self.assign_to(i),
                    AssignTarget::Member(m) => self.expr(m.object),
                    AssignTarget::Index(i) => {
                        self.expr(i.object);
                        self.expr(i.index);
                    }
                }
                self.expr(a.value);
            }
            Expr::Pipe(p) => self.pipe(p),
            Expr::Match(m) => {
                self.expr(m.discriminant);
                for arm in m.arms {
                    self.expr(arm.body);
                }
            }
            Expr::JsxElement(el) => self.jsx_element(el),
            Expr::JsxFragment(fr) => self.jsx_children(fr.children),
        }
    }

    fn jsx_element(&mut self, el: &'a JsxElement<'a>) {
        match el.name {
            JsxName::Component(r) => self.reference(r),
            JsxName::Member(m) => self.reference(&m.object),
            JsxName::Intrinsic(_) => {}
        }
        for attr in el.attrs {
            match attr {
                JsxAttr::Attr(a) => {
                    if let Some(JsxAttrValue::Expr(e)) = a.value {
                        self.expr(e);
                    }
                }
                JsxAttr::Spread(s) => self.expr(s.arg),
            }
        }
        self.jsx_children(el.children);
    }

    fn jsx_children(&mut self, children: &'a [JsxChild<'a>]) {
        for c in children {
            match c {
                JsxChild::Text(_) => {}
                JsxChild::Expr(e) => self.expr(*e),
                JsxChild::Element(el) => self.jsx_element(el),
                JsxChild::Fragment(f) => self.jsx_children(f.children),
            }
        }
    }

    /// A `|>` chain; one that contains `guard(...)` calls (with `guard`
    /// imported from `zigttp:compose`) becomes one synthesized function,
    /// whose expressions are resolved inside it.
    fn pipe(&mut self, p: &'a PipeExpr<'a>) {
        let is_guard = |r: &IdentRef<'a>| {
            self.lookup(r.name)
                .is_some_and(|b| self.res.bindings[b as usize].import == Some(GUARD))
        };
        match guard_chain(p, is_guard) {
            None => {
                self.expr(p.left);
                self.expr(p.right);
            }
            Some(Err(message)) => self.error(
                Diagnostic::error("ZTS002", self.file, p.span, message)
                    .with_suggestion("write guard(pre) |> ... |> handler |> guard(post) ... with exactly one handler"),
            ),
            Some(Ok(chain)) => {
                for g in &chain.guards {
                    self.reference(g);
                }
                let id = self.res.parents.len() as FuncId;
                self.res.parents.push(Some(self.current_func()));
                self.res.funcs.insert(addr(p), id);
                self.func_stack.push(id);
                self.scopes.push(Scope { names: HashMap::new() });
                for e in chain.pre.iter().chain(std::iter::once(&chain.handler)).chain(&chain.post) {
                    self.expr(*e);
                }
                self.scopes.pop();
                self.func_stack.pop();
            }
        }
    }
}

/// The `guard` export of `zigttp:compose`.
pub const GUARD: (&str, &str) = ("zigttp:compose", "guard");

/// A guard composition: `guard(a) |> guard(b) |> handler |> guard(c)`.
pub struct GuardChain<'a> {
    /// Functions run on the request before the handler; the first that
    /// returns something other than undefined answers instead.
    pub pre: Vec<Expr<'a>>,
    pub handler: Expr<'a>,
    /// Functions run on the response; the first that returns something
    /// other than undefined replaces it.
    pub post: Vec<Expr<'a>>,
    /// The `guard` identifiers of the chain.
    pub guards: Vec<&'a IdentRef<'a>>,
}

/// Splits a `|>` chain into a guard composition, if it contains a
/// `guard(f)` call (`is_guard` tells whether a callee names the import).
/// `Some(Err(..))` when the chain does not have exactly one handler.
pub fn guard_chain<'a>(
    p: &'a PipeExpr<'a>,
    is_guard: impl Fn(&IdentRef<'a>) -> bool,
) -> Option<Result<GuardChain<'a>, &'static str>> {
    let mut elems = vec![p.right];
    let mut left = p.left;
    while let Expr::Pipe(inner) = left {
        elems.push(inner.right);
        left = inner.left;
    }
    elems.push(left);
    elems.reverse();
    let guard_arg = |e: Expr<'a>| match e {
        Expr::Call(c) => match (c.callee, c.args) {
            (Expr::Ident(r), [Arg::Expr(arg)]) if !c.optional && is_guard(r) => Some(*arg),
            _ => None,
        },
        _ => None,
    };
    if elems.iter().all(|e| guard_arg(*e).is_none()) {
        return None;
    }
    let handlers: Vec<usize> = (0..elems.len())
        .filter(|&i| guard_arg(elems[i]).is_none())
        .collect();
    let [h] = handlers[..] else {
        return Some(Err(if handlers.is_empty() {
            "guard composition requires a handler function"
        } else {
            "guard composition allows exactly one handler"
        }));
    };
    let guards = elems
        .iter()
        .filter_map(|e| match e {
            Expr::Call(c) if guard_arg(*e).is_some() => match c.callee {
                Expr::Ident(r) => Some(r),
                _ => None,
            },
            _ => None,
        })
        .collect();
    Some(Ok(GuardChain {
        guards,
        pre: elems[..h].iter().filter_map(|e| guard_arg(*e)).collect(),
        handler: elems[h],
        post: elems[h + 1..]
            .iter()
            .filter_map(|e| guard_arg(*e))
            .collect(),
    }))
}
