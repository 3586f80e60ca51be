//! Register allocation and bytecode emission.
//!
//! One pass over the resolved AST. Each function gets a [`FuncState`]:
//! parameters in registers `0..n`, block-scoped bindings in registers
//! allocated at block entry (LIFO, released at block exit), temporaries
//! above them. Bindings captured by nested functions live in cells created
//! at block entry (so every loop iteration gets fresh ones); module-level
//! bindings live in module slots. Jumps target labels that are resolved to
//! byte offsets when the function is finished.

mod expr;
mod pattern;
mod stmt;

use crate::check::{BindingId, BindingKind, FuncId, Resolution, Resolved, addr};
use crate::front::ast::*;
use crate::front::diag::{Diagnostic, FileId, SourceFile};
use crate::graph::Graph;
use std::collections::HashMap;
use zigts_verifier::bundle::{Export, ModuleInfo, SourceMap, SourcePos};
use zigts_verifier::{
    AtomIdx, Bundle, Capture, ConstIdx, Constant, FuncIdx, Function as BcFunction, GlobalIdx,
    ImportIdx, Op, Reg, RegRange, Target, UpvalIdx,
};

/// A jump label (index into the function's label table until resolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Label(u32);

/// Where a binding's value lives, seen from the function being compiled.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// A register holding the value.
    Reg(Reg),
    /// A register holding the binding's cell.
    Cell(Reg),
    /// A captured cell of the current closure.
    Upval(u16),
    /// A module slot.
    Global(u32),
    /// A module import.
    Import(u32),
}

struct Loop {
    continue_to: Label,
    break_to: Label,
}

struct FuncState {
    id: FuncId,
    name: String,
    ops: Vec<Op>,
    labels: Vec<Option<usize>>,
    /// (op index, file, span) whenever the source position changes.
    spans: Vec<(usize, FileId, Span)>,
    span: Span,
    next_reg: u32,
    max_reg: u32,
    locals: HashMap<BindingId, Reg>,
    captures: Vec<Capture>,
    capture_of: HashMap<BindingId, u16>,
    loops: Vec<Loop>,
    /// Where an optional-chain link that short-circuits jumps.
    chain_nil: Option<Label>,
    param_count: u16,
    has_rest: bool,
}

/// A top-level function that `call_direct` can call.
#[derive(Clone, Copy)]
struct DirectTarget {
    func: FuncId,
    params: usize,
}

pub(crate) struct Codegen<'a, 'r> {
    res: &'r Resolution<'a>,
    sources: &'r [SourceFile],
    /// The file whose code is being compiled.
    file: FileId,
    atoms: Vec<String>,
    atom_map: HashMap<String, u32>,
    consts: Vec<Constant>,
    num_map: HashMap<u64, u32>,
    str_map: HashMap<String, u32>,
    imports: Vec<zigts_verifier::bundle::Import>,
    import_of: HashMap<BindingId, u32>,
    functions: Vec<Option<(BcFunction, Vec<SourcePos>)>>,
    stack: Vec<FuncState>,
    slots: HashMap<BindingId, u32>,
    slot_names: Vec<String>,
    direct: HashMap<BindingId, DirectTarget>,
    diags: Vec<Diagnostic>,
}

/// Most registers a function may use (the operand is u16).
const MAX_REGS: u32 = 65_535;

impl<'a, 'r> Codegen<'a, 'r> {
    pub(crate) fn new(res: &'r Resolution<'a>, sources: &'r [SourceFile]) -> Self {
        let mut slots = HashMap::new();
        let mut slot_names = Vec::new();
        for &b in &res.globals {
            let binding = &res.bindings[b as usize];
            if binding.kind != BindingKind::Import {
                slots.insert(b, slot_names.len() as u32);
                slot_names.push(binding.name.to_string());
            }
        }
        Codegen {
            res,
            sources,
            file: FileId(0),
            atoms: Vec::new(),
            atom_map: HashMap::new(),
            consts: Vec::new(),
            num_map: HashMap::new(),
            str_map: HashMap::new(),
            imports: Vec::new(),
            import_of: HashMap::new(),
            functions: (0..res.parents.len()).map(|_| None).collect(),
            stack: Vec::new(),
            slots,
            slot_names,
            direct: HashMap::new(),
            diags: Vec::new(),
        }
    }

    /// Compiles every module; function 0, the module initializer, runs
    /// their top-level code in dependency order.
    pub(crate) fn modules(
        mut self,
        graph: &Graph<'a>,
        contract: Vec<u8>,
    ) -> Result<Bundle, Vec<Diagnostic>> {
        for module in &graph.modules {
            self.collect_top_level(&module.program);
        }
        self.begin_function(0, String::from("<module>"), 0, false);
        for module in &graph.modules {
            self.file = module.file;
            self.block_body(module.program.stmts);
        }
        self.emit(Op::ReturnUndef {});
        self.finish_function();
        if !self.diags.is_empty() {
            return Err(self.diags);
        }
        let Some(entry) = graph.modules.last() else {
            return Err(vec![Diagnostic::error(
                "ZTS002",
                FileId(0),
                Span::default(),
                "internal compiler error: no modules",
            )]);
        };
        let program = &entry.program;
        let mut exports = Vec::new();
        for (&b, &slot) in &self.slots {
            let binding = &self.res.bindings[b as usize];
            if binding.file != entry.file {
                continue;
            }
            let exported = program.stmts.iter().any(|s| match s {
                Stmt::Function(fd) => {
                    fd.exported && fd.function.name.is_some_and(|n| n.name == binding.name)
                }
                Stmt::Var(v) => {
                    v.exported
                        && v.decls.iter().any(|d| {
                            let mut hit = false;
                            d.pattern
                                .for_each_binding(&mut |x| hit |= x.name == binding.name);
                            hit
                        })
                }
                _ => false,
            });
            if exported || binding.name == "handler" {
                exports.push(Export {
                    name: binding.name.to_string(),
                    global: slot,
                });
            }
        }
        exports.sort_by_key(|e| e.global);
        let mut functions = Vec::with_capacity(self.functions.len());
        let mut maps = Vec::with_capacity(self.functions.len());
        for (i, f) in self.functions.into_iter().enumerate() {
            let Some((f, map)) = f else {
                return Err(vec![Diagnostic::error(
                    "ZTS002",
                    FileId(0),
                    Span::default(),
                    format!("internal compiler error: function {i} was never compiled"),
                )]);
            };
            functions.push(f);
            maps.push(map);
        }
        Ok(Bundle {
            atoms: self.atoms,
            constants: self.consts,
            functions,
            imports: self.imports,
            module: ModuleInfo {
                globals: self.slot_names,
                exports,
            },
            contract,
            source_map: SourceMap {
                files: self.sources.iter().map(|s| s.name.clone()).collect(),
                functions: maps,
            },
        })
    }

    /// Registers a module's direct-callable functions and virtual-module imports.
    fn collect_top_level(&mut self, program: &Program<'a>) {
        for stmt in program.stmts {
            if let Stmt::Function(fd) = stmt
                && let (Some(name), Some(&func)) = (
                    fd.function.name.as_ref(),
                    self.res.funcs.get(&addr(&fd.function)),
                )
                && fd.function.rest.is_none()
            {
                let binding = self.res.decls[&addr(name)];
                self.direct.insert(
                    binding,
                    DirectTarget {
                        func,
                        params: fd.function.params.len(),
                    },
                );
            }
            if let Stmt::Import(im) = stmt
                && !im.type_only
                && !crate::graph::is_relative(im.source.value)
            {
                for s in im.specifiers.iter().filter(|s| !s.type_only) {
                    let b = self.res.decls[&addr(&s.local)];
                    self.import_of.insert(b, self.imports.len() as u32);
                    self.imports.push(zigts_verifier::bundle::Import {
                        specifier: im.source.value.to_string(),
                        export: s.imported.name.to_string(),
                    });
                }
            }
        }
    }

    // ---- function state -------------------------------------------------

    fn f(&mut self) -> &mut FuncState {
        self.stack.last_mut().expect("a function is being compiled")
    }

    fn begin_function(&mut self, id: FuncId, name: String, param_count: u16, has_rest: bool) {
        let first = u32::from(param_count) + u32::from(has_rest);
        self.stack.push(FuncState {
            id,
            name,
            ops: Vec::new(),
            labels: Vec::new(),
            spans: Vec::new(),
            span: Span::default(),
            next_reg: first,
            max_reg: first,
            locals: HashMap::new(),
            captures: Vec::new(),
            capture_of: HashMap::new(),
            loops: Vec::new(),
            chain_nil: None,
            param_count,
            has_rest,
        });
    }

    fn finish_function(&mut self) -> FuncId {
        let fs = self.stack.pop().expect("function state");
        let mut pcs = Vec::with_capacity(fs.ops.len() + 1);
        let mut pc = 0u32;
        for op in &fs.ops {
            pcs.push(pc);
            pc += op.opcode().encoded_len() as u32;
        }
        pcs.push(pc);
        let mut code = Vec::with_capacity(pc as usize);
        for op in &fs.ops {
            let mut op = *op;
            op.for_each_target_mut(&mut |t: &mut Target| {
                let idx = fs.labels[t.0 as usize].expect("every label is bound");
                t.0 = pcs[idx];
            });
            op.encode(&mut code);
        }
        let mut map: Vec<SourcePos> = Vec::new();
        for &(idx, file, span) in &fs.spans {
            if idx >= fs.ops.len() {
                continue;
            }
            let (line, col) = self
                .sources
                .get(file.0 as usize)
                .map_or((0, 0), |s| s.line_col(span.start));
            let pos = SourcePos {
                pc: pcs[idx],
                file: file.0 as u16,
                line,
                col,
            };
            match map.last_mut() {
                Some(last) if last.pc == pos.pc => *last = pos,
                _ => map.push(pos),
            }
        }
        if fs.max_reg > MAX_REGS {
            self.diags.push(Diagnostic::error(
                "ZTS029",
                self.file,
                fs.span,
                "function needs too many registers",
            ));
        }
        let parent = self.res.parents.get(fs.id as usize).copied().flatten();
        let func = BcFunction {
            name: fs.name,
            parent,
            param_count: fs.param_count,
            has_rest: fs.has_rest,
            reg_count: fs.max_reg.min(MAX_REGS) as u16,
            captures: fs.captures,
            code,
        };
        self.functions[fs.id as usize] = Some((func, map));
        fs.id
    }

    fn set_span(&mut self, span: Span) {
        let file = self.file;
        let f = self.f();
        if f.span != span {
            f.span = span;
            let idx = f.ops.len();
            match f.spans.last_mut() {
                Some(last) if last.0 == idx => *last = (idx, file, span),
                _ => f.spans.push((idx, file, span)),
            }
        }
    }

    fn emit(&mut self, op: Op) {
        self.f().ops.push(op);
    }

    fn label(&mut self) -> Label {
        let f = self.f();
        f.labels.push(None);
        Label(f.labels.len() as u32 - 1)
    }

    fn bind(&mut self, l: Label) {
        let f = self.f();
        f.labels[l.0 as usize] = Some(f.ops.len());
    }

    fn target(l: Label) -> Target {
        Target(l.0)
    }

    // ---- registers ------------------------------------------------------

    fn temp(&mut self) -> Reg {
        let f = self.f();
        let r = f.next_reg;
        f.next_reg += 1;
        f.max_reg = f.max_reg.max(f.next_reg);
        Reg(r.min(MAX_REGS - 1) as u16)
    }

    fn temps(&mut self, n: usize) -> RegRange {
        let f = self.f();
        let start = f.next_reg;
        f.next_reg += n as u32;
        f.max_reg = f.max_reg.max(f.next_reg);
        RegRange {
            start: start.min(MAX_REGS - 1) as u16,
            count: n.min(u16::MAX as usize) as u16,
        }
    }

    fn mark(&mut self) -> u32 {
        self.f().next_reg
    }

    fn release(&mut self, mark: u32) {
        self.f().next_reg = mark;
    }

    // ---- tables ---------------------------------------------------------

    fn atom(&mut self, s: &str) -> AtomIdx {
        if let Some(&i) = self.atom_map.get(s) {
            return AtomIdx(i);
        }
        let i = self.atoms.len() as u32;
        self.atoms.push(s.to_string());
        self.atom_map.insert(s.to_string(), i);
        AtomIdx(i)
    }

    fn str_const(&mut self, s: &str) -> ConstIdx {
        if let Some(&i) = self.str_map.get(s) {
            return ConstIdx(i);
        }
        let i = self.consts.len() as u32;
        self.consts.push(Constant::String(s.to_string()));
        self.str_map.insert(s.to_string(), i);
        ConstIdx(i)
    }

    fn num_const(&mut self, n: f64) -> ConstIdx {
        if let Some(&i) = self.num_map.get(&n.to_bits()) {
            return ConstIdx(i);
        }
        let i = self.consts.len() as u32;
        self.consts.push(Constant::Number(n));
        self.num_map.insert(n.to_bits(), i);
        ConstIdx(i)
    }

    fn load_number(&mut self, n: f64, dst: Reg) {
        if let Some(value) = expr::int_value(n) {
            self.emit(Op::LoadInt { dst, value });
        } else {
            let k = self.num_const(n);
            self.emit(Op::LoadNum { dst, k });
        }
    }

    fn load_str(&mut self, s: &str, dst: Reg) {
        let k = self.str_const(s);
        self.emit(Op::LoadStr { dst, k });
    }

    // ---- bindings -------------------------------------------------------

    /// Allocates the storage of a binding declared in the current function
    /// (module-level bindings already have slots). Captured bindings get a
    /// fresh cell holding undefined.
    fn declare_local(&mut self, b: BindingId) {
        if self.slots.contains_key(&b) || self.import_of.contains_key(&b) {
            return;
        }
        let r = self.temp();
        if self.res.bindings[b as usize].captured {
            self.emit(Op::LoadUndef { dst: r });
            self.emit(Op::BoxNew { dst: r, src: r });
        }
        self.f().locals.insert(b, r);
    }

    /// The capture index of binding `b` in the function at stack depth `depth`.
    fn capture(&mut self, depth: usize, b: BindingId) -> u16 {
        if let Some(&i) = self.stack[depth].capture_of.get(&b) {
            return i;
        }
        let owner = self.res.bindings[b as usize].owner;
        let parent = depth - 1;
        let cap = if self.stack[parent].id == owner {
            Capture::Local(self.stack[parent].locals[&b])
        } else {
            Capture::Upval(UpvalIdx(self.capture(parent, b)))
        };
        let fs = &mut self.stack[depth];
        let i = fs.captures.len() as u16;
        fs.captures.push(cap);
        fs.capture_of.insert(b, i);
        i
    }

    fn place(&mut self, b: BindingId) -> Place {
        if let Some(&slot) = self.slots.get(&b) {
            return Place::Global(slot);
        }
        if let Some(&i) = self.import_of.get(&b) {
            return Place::Import(i);
        }
        let binding = &self.res.bindings[b as usize];
        let captured = binding.captured;
        if binding.owner == self.f().id {
            let r = self.f().locals.get(&b).copied().unwrap_or(Reg(0));
            return if captured {
                Place::Cell(r)
            } else {
                Place::Reg(r)
            };
        }
        let depth = self.stack.len() - 1;
        Place::Upval(self.capture(depth, b))
    }

    fn read_place(&mut self, p: Place, dst: Reg) {
        match p {
            Place::Reg(r) => {
                if r != dst {
                    self.emit(Op::Move { dst, src: r });
                }
            }
            Place::Cell(r) => self.emit(Op::BoxGet { dst, cell: r }),
            Place::Upval(i) => self.emit(Op::UpGet {
                dst,
                up: UpvalIdx(i),
            }),
            Place::Global(g) => self.emit(Op::LoadGlobal {
                dst,
                g: GlobalIdx(g),
            }),
            Place::Import(i) => self.emit(Op::LoadImport {
                dst,
                i: ImportIdx(i),
            }),
        }
    }

    fn write_place(&mut self, p: Place, src: Reg, span: Span) {
        match p {
            Place::Reg(r) => {
                if r != src {
                    self.emit(Op::Move { dst: r, src });
                }
            }
            Place::Cell(r) => self.emit(Op::BoxSet { cell: r, src }),
            Place::Upval(i) => self.emit(Op::UpSet {
                up: UpvalIdx(i),
                src,
            }),
            Place::Global(g) => self.emit(Op::StoreGlobal {
                g: GlobalIdx(g),
                src,
            }),
            Place::Import(_) => {
                self.diags.push(Diagnostic::error(
                    "ZTS016",
                    self.file,
                    span,
                    "cannot assign to an import",
                ));
            }
        }
    }

    /// Stores `src` into the binding declared by `ident`.
    fn init_binding(&mut self, ident: &BindingIdent<'a>, src: Reg) {
        let b = self.res.decls[&addr(ident)];
        let p = self.place(b);
        self.write_place(p, src, ident.span);
    }

    // ---- functions ------------------------------------------------------

    /// Compiles a nested function and emits `make_closure` into `dst`.
    fn closure(&mut self, f: &'a Function<'a>, name: &str, dst: Reg) {
        let Some(&id) = self.res.funcs.get(&addr(f)) else {
            self.diags.push(Diagnostic::error(
                "ZTS002",
                self.file,
                f.span,
                "internal compiler error: unresolved function",
            ));
            return;
        };
        let saved_span = self.f().span;
        self.function_body(id, f, name);
        self.set_span(saved_span);
        self.emit(Op::MakeClosure {
            dst,
            f: FuncIdx(id),
        });
    }

    fn function_body(&mut self, id: FuncId, f: &'a Function<'a>, name: &str) {
        let params = f.params.len().min(255) as u16;
        self.begin_function(id, name.to_string(), params, f.rest.is_some());
        self.set_span(f.span);
        // Plain parameters use their argument register (boxed if captured).
        for (i, p) in f.params.iter().enumerate() {
            let arg = Reg(i as u16);
            self.param(p.pattern, p.default, arg);
        }
        if let Some(rest) = &f.rest {
            self.param(rest.pattern, None, Reg(params));
        }
        match f.body {
            FunctionBody::Block(b) => self.block_body(b.stmts),
            FunctionBody::Expr(e) => {
                let r = self.expr_any(e);
                self.emit(Op::Return { src: r });
            }
        }
        self.emit(Op::ReturnUndef {});
        self.finish_function();
    }

    fn param(&mut self, pattern: Pattern<'a>, default: Option<Expr<'a>>, arg: Reg) {
        if let Some(d) = default {
            let skip = self.label();
            self.emit(Op::JumpIfNotUndef {
                src: arg,
                target: Self::target(skip),
            });
            self.expr(d, arg);
            self.bind(skip);
        }
        match pattern {
            Pattern::Ident(ident) => {
                let b = self.res.decls[&addr(ident)];
                if self.res.bindings[b as usize].captured {
                    let cell = self.temp();
                    self.emit(Op::BoxNew {
                        dst: cell,
                        src: arg,
                    });
                    self.f().locals.insert(b, cell);
                } else {
                    self.f().locals.insert(b, arg);
                }
            }
            other => {
                let mut ids = Vec::new();
                other.for_each_binding(&mut |bi| ids.push(self.res.decls[&addr(bi)]));
                for b in ids {
                    self.declare_local(b);
                }
                self.bind_pattern(other, arg);
            }
        }
    }

    fn resolved(&self, ident: &IdentRef<'a>) -> Option<Resolved> {
        self.res.refs.get(&addr(ident)).copied()
    }

    #[cold]
    fn unsupported(&mut self, span: Span, what: &str) {
        self.diags.push(
            Diagnostic::error(
                "ZTS001",
                self.file,
                span,
                format!("{what} is not implemented yet"),
            )
            .with_suggestion("this part of the language arrives in a later version"),
        );
    }
}

/// Compiles a resolved module graph into a bundle.
pub(crate) fn generate<'a>(
    graph: &Graph<'a>,
    res: &Resolution<'a>,
    contract: Vec<u8>,
) -> Result<Bundle, Vec<Diagnostic>> {
    Codegen::new(res, &graph.sources).modules(graph, contract)
}
