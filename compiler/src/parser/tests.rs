//! Parser unit tests: AST shapes as S-expressions, and rejections.

use std::fmt::Write as _;

use bumpalo::Bump;

use crate::front::ast::*;
use crate::front::diag::FileId;

use super::parse;

/// A compact S-expression dump of the AST, for shape assertions.
struct Dump<'s> {
    out: String,
    src: &'s str,
}

impl Dump<'_> {
    fn stmt(&mut self, s: Stmt<'_>) {
        match s {
            Stmt::Expr(e) => self.expr(e.expr),
            Stmt::Var(v) => {
                let ex = if v.exported { "export " } else { "" };
                let _ = write!(self.out, "({ex}{}", v.kind.as_str());
                for d in v.decls {
                    self.out.push(' ');
                    self.pattern(d.pattern);
                    if let Some(init) = d.init {
                        self.out.push_str(" = ");
                        self.expr(init);
                    }
                }
                self.out.push(')');
            }
            Stmt::Function(f) => {
                let ex = if f.exported { "export " } else { "" };
                let _ = write!(self.out, "({ex}function {} ", f.name().name);
                self.function(&f.function);
                self.out.push(')');
            }
            Stmt::Import(i) => {
                let t = if i.type_only { "type " } else { "" };
                let _ = write!(self.out, "(import {t}{:?}", i.source.value);
                for s in i.specifiers {
                    let t = if s.type_only { "type " } else { "" };
                    let _ = write!(self.out, " {t}{}:{}", s.imported.name, s.local.name);
                }
                self.out.push(')');
            }
            Stmt::Type(t) => {
                let ex = if t.exported { "export " } else { "" };
                let _ = write!(self.out, "({ex}{:?} {})", t.kind, t.name.name);
            }
            Stmt::Block(b) => self.block(b),
            Stmt::If(i) => {
                self.out.push_str("(if ");
                self.expr(i.test);
                self.out.push(' ');
                self.stmt(i.consequent);
                if let Some(a) = i.alternate {
                    self.out.push(' ');
                    self.stmt(a);
                }
                self.out.push(')');
            }
            Stmt::ForOf(f) => {
                let _ = write!(self.out, "(for {} ", f.kind.as_str());
                self.pattern(f.pattern);
                self.out.push_str(" of ");
                self.expr(f.iterable);
                self.out.push(' ');
                self.stmt(f.body);
                self.out.push(')');
            }
            Stmt::Return(r) => {
                self.out.push_str("(return");
                if let Some(a) = r.arg {
                    self.out.push(' ');
                    self.expr(a);
                }
                self.out.push(')');
            }
            Stmt::Assert(a) => {
                self.out.push_str("(assert ");
                self.expr(a.test);
                if let Some(v) = a.value {
                    self.out.push_str(", ");
                    self.expr(v);
                }
                self.out.push(')');
            }
            Stmt::Break(_) => self.out.push_str("break"),
            Stmt::Continue(_) => self.out.push_str("continue"),
            Stmt::Empty(_) => self.out.push(';'),
        }
    }

    fn block(&mut self, b: &BlockStmt<'_>) {
        self.out.push('{');
        for (i, s) in b.stmts.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            self.stmt(*s);
        }
        self.out.push('}');
    }

    fn function(&mut self, f: &Function<'_>) {
        self.out.push('[');
        for (i, p) in f.params.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            self.pattern(p.pattern);
            if let Some(d) = p.default {
                self.out.push('=');
                self.expr(d);
            }
        }
        if let Some(r) = &f.rest {
            self.out.push_str(" ...");
            self.pattern(r.pattern);
        }
        self.out.push_str("] ");
        match f.body {
            FunctionBody::Block(b) => self.block(b),
            FunctionBody::Expr(e) => self.expr(e),
        }
    }

    fn pattern(&mut self, p: Pattern<'_>) {
        match p {
            Pattern::Ident(i) => self.out.push_str(i.name),
            Pattern::Object(o) => {
                self.out.push('{');
                for (i, prop) in o.props.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.key(prop.key);
                    if !prop.shorthand {
                        self.out.push(':');
                        self.pattern(prop.value);
                    }
                    if let Some(d) = prop.default {
                        self.out.push('=');
                        self.expr(d);
                    }
                }
                if let Some(r) = o.rest {
                    let _ = write!(self.out, " ...{}", r.name);
                }
                self.out.push('}');
            }
            Pattern::Array(a) => {
                self.out.push('[');
                for (i, e) in a.elems.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    match e {
                        None => self.out.push('_'),
                        Some(e) => {
                            self.pattern(e.pattern);
                            if let Some(d) = e.default {
                                self.out.push('=');
                                self.expr(d);
                            }
                        }
                    }
                }
                if let Some(r) = &a.rest {
                    self.out.push_str(" ...");
                    self.pattern(r.pattern);
                }
                self.out.push(']');
            }
        }
    }

    fn key(&mut self, k: PropKey<'_>) {
        match k {
            PropKey::Ident(i) => self.out.push_str(i.name),
            PropKey::String(s) => {
                let _ = write!(self.out, "{:?}", s.value);
            }
            PropKey::Number(n) => {
                let _ = write!(self.out, "{}", n.value);
            }
            PropKey::Computed(c) => {
                self.out.push('[');
                self.expr(c.expr);
                self.out.push(']');
            }
        }
    }

    fn args(&mut self, args: &[Arg<'_>]) {
        for a in args {
            self.out.push(' ');
            match a {
                Arg::Expr(e) => self.expr(*e),
                Arg::Spread(s) => {
                    self.out.push_str("...");
                    self.expr(s.arg);
                }
            }
        }
    }

    fn expr(&mut self, e: Expr<'_>) {
        match e {
            Expr::Number(n) => {
                let _ = write!(self.out, "{}", n.value);
            }
            Expr::String(s) => {
                let _ = write!(self.out, "{:?}", s.value);
            }
            Expr::Template(t) => {
                self.out.push_str("(tpl");
                for (i, q) in t.quasis.iter().enumerate() {
                    let _ = write!(self.out, " {:?}", q.cooked);
                    if let Some(e) = t.exprs.get(i) {
                        self.out.push(' ');
                        self.expr(*e);
                    }
                }
                self.out.push(')');
            }
            Expr::Bool(b) => {
                let _ = write!(self.out, "{}", b.value);
            }
            Expr::Undefined(_) => self.out.push_str("undefined"),
            Expr::Ident(i) => self.out.push_str(i.name),
            Expr::Array(a) => {
                self.out.push_str("(array");
                for el in a.elems {
                    self.out.push(' ');
                    match el {
                        ArrayElem::Expr(e) => self.expr(*e),
                        ArrayElem::Spread(s) => {
                            self.out.push_str("...");
                            self.expr(s.arg);
                        }
                        ArrayElem::Hole(_) => self.out.push_str("<hole>"),
                    }
                }
                self.out.push(')');
            }
            Expr::Object(o) => {
                self.out.push_str("(object");
                for p in o.props {
                    self.out.push(' ');
                    match p {
                        ObjectProp::Prop(p) => {
                            self.key(p.key);
                            match p.kind {
                                PropKind::Shorthand => {}
                                PropKind::Init => {
                                    self.out.push(':');
                                    self.expr(p.value);
                                }
                                PropKind::Method => {
                                    self.out.push_str(":method");
                                    if let Expr::Function(f) = p.value {
                                        self.function(f);
                                    }
                                }
                            }
                        }
                        ObjectProp::Spread(s) => {
                            self.out.push_str("...");
                            self.expr(s.arg);
                        }
                    }
                }
                self.out.push(')');
            }
            Expr::Function(f) => {
                self.out.push_str("(=> ");
                self.function(f);
                self.out.push(')');
            }
            Expr::Member(m) => {
                self.out.push_str(if m.optional { "(?. " } else { "(. " });
                self.expr(m.object);
                let _ = write!(self.out, " {})", m.property.name);
            }
            Expr::Index(i) => {
                self.out
                    .push_str(if i.optional { "(?.[] " } else { "([] " });
                self.expr(i.object);
                self.out.push(' ');
                self.expr(i.index);
                self.out.push(')');
            }
            Expr::Call(c) => {
                self.out
                    .push_str(if c.optional { "(?.call " } else { "(call " });
                self.expr(c.callee);
                self.args(c.args);
                self.out.push(')');
            }
            Expr::Chain(c) => {
                self.out.push_str("(chain ");
                self.expr(c.expr);
                self.out.push(')');
            }
            Expr::Unary(u) => {
                let _ = write!(self.out, "({} ", u.op.as_str());
                self.expr(u.arg);
                self.out.push(')');
            }
            Expr::Binary(b) => {
                let _ = write!(self.out, "({} ", b.op.as_str());
                self.expr(b.left);
                self.out.push(' ');
                self.expr(b.right);
                self.out.push(')');
            }
            Expr::Logical(l) => {
                let _ = write!(self.out, "({} ", l.op.as_str());
                self.expr(l.left);
                self.out.push(' ');
                self.expr(l.right);
                self.out.push(')');
            }
            Expr::Conditional(c) => {
                self.out.push_str("(? ");
                self.expr(c.test);
                self.out.push(' ');
                self.expr(c.consequent);
                self.out.push(' ');
                self.expr(c.alternate);
                self.out.push(')');
            }
            Expr::Assign(a) => {
                let _ = write!(
                    self.out,
                    "({} {} ",
                    a.op.as_str(),
                    a.target.span().text(self.src)
                );
                self.expr(a.value);
                self.out.push(')');
            }
            Expr::Pipe(p) => {
                self.out.push_str("(|> ");
                self.expr(p.left);
                self.out.push(' ');
                self.expr(p.right);
                self.out.push(')');
            }
            Expr::Match(m) => {
                self.out.push_str("(match ");
                self.expr(m.discriminant);
                for arm in m.arms {
                    match arm.test {
                        MatchTest::When(p) => {
                            self.out.push_str(" (when ");
                            self.match_pattern(p);
                        }
                        MatchTest::Default(_) => self.out.push_str(" (default"),
                    }
                    self.out.push(' ');
                    self.expr(arm.body);
                    self.out.push(')');
                }
                self.out.push(')');
            }
            Expr::JsxElement(el) => self.jsx_element(el),
            Expr::JsxFragment(f) => {
                self.out.push_str("(<>");
                self.jsx_children(f.children);
                self.out.push(')');
            }
        }
    }

    fn match_pattern(&mut self, p: MatchPattern<'_>) {
        match p {
            MatchPattern::Wildcard(_) => self.out.push('_'),
            MatchPattern::Undefined(_) => self.out.push_str("undefined"),
            MatchPattern::Bool(b) => {
                let _ = write!(self.out, "{}", b.value);
            }
            MatchPattern::Number(n) => {
                let _ = write!(self.out, "{}", n.value);
            }
            MatchPattern::String(s) => {
                let _ = write!(self.out, "{:?}", s.value);
            }
            MatchPattern::Object(o) => {
                self.out.push('{');
                for (i, p) in o.props.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    let _ = write!(self.out, "{}:", p.key);
                    self.match_pattern(p.value);
                }
                self.out.push('}');
            }
            MatchPattern::Array(a) => {
                self.out.push('[');
                for (i, e) in a.elems.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    match e {
                        Some(p) => self.match_pattern(*p),
                        None => self.out.push_str("<hole>"),
                    }
                }
                self.out.push(']');
            }
        }
    }

    fn jsx_element(&mut self, el: &JsxElement<'_>) {
        match el.name {
            JsxName::Intrinsic(n) => {
                let _ = write!(self.out, "(<{:?}", n.name);
            }
            JsxName::Component(c) => {
                let _ = write!(self.out, "(<{}", c.name);
            }
            JsxName::Member(m) => {
                let _ = write!(self.out, "(<{}", m.span.text(self.src));
            }
        }
        for a in el.attrs {
            self.out.push(' ');
            match a {
                JsxAttr::Attr(a) => {
                    self.out.push_str(a.name.name);
                    match a.value {
                        None => {}
                        Some(JsxAttrValue::String(s)) => {
                            let _ = write!(self.out, "={:?}", s.value);
                        }
                        Some(JsxAttrValue::Expr(e)) => {
                            self.out.push('=');
                            self.expr(e);
                        }
                    }
                }
                JsxAttr::Spread(s) => {
                    self.out.push_str("...");
                    self.expr(s.arg);
                }
            }
        }
        if el.self_closing {
            self.out.push_str(" /");
        }
        self.out.push('>');
        self.jsx_children(el.children);
        self.out.push(')');
    }

    fn jsx_children(&mut self, children: &[JsxChild<'_>]) {
        for c in children {
            self.out.push(' ');
            match c {
                JsxChild::Text(t) => {
                    let _ = write!(self.out, "{:?}", t.value);
                }
                JsxChild::Expr(e) => {
                    self.out.push('{');
                    self.expr(*e);
                    self.out.push('}');
                }
                JsxChild::Element(e) => self.jsx_element(e),
                JsxChild::Fragment(f) => {
                    self.out.push_str("(<>");
                    self.jsx_children(f.children);
                    self.out.push(')');
                }
            }
        }
    }
}

fn dump_with(src: &str, jsx: bool) -> String {
    let arena = Bump::new();
    let r = parse(&arena, FileId(0), src, jsx);
    assert!(r.diagnostics.is_empty(), "{src:?}: {:?}", r.diagnostics);
    let mut d = Dump {
        out: String::new(),
        src,
    };
    for (i, s) in r.program.stmts.iter().enumerate() {
        if i > 0 {
            d.out.push('\n');
        }
        d.stmt(*s);
    }
    d.out
}

fn dump(src: &str) -> String {
    dump_with(src, false)
}

/// The first diagnostic as `CODE line:col message`.
fn first_error(src: &str, jsx: bool) -> String {
    let arena = Bump::new();
    let r = parse(&arena, FileId(0), src, jsx);
    let d = r
        .diagnostics
        .first()
        .unwrap_or_else(|| panic!("{src:?} parsed without error"));
    let file = crate::front::diag::SourceFile::new("t.ts", src);
    let (l, c) = file.line_col(d.span.start);
    format!("{} {l}:{c} {}", d.code, d.full_message())
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(dump("a + b * c ** d ** e;"), "(+ a (* b (** c (** d e))))");
    assert_eq!(dump("a - b - c;"), "(- (- a b) c)");
    assert_eq!(
        dump("a || b && c | d ^ e & f;"),
        "(|| a (&& b (| c (^ d (& e f)))))"
    );
    assert_eq!(
        dump("a ?? b === c < d << e;"),
        "(?? a (=== b (< c (<< d e))))"
    );
    assert_eq!(dump("k in o && !x;"), "(&& (in k o) (! x))");
    assert_eq!(dump("x = y += 2;"), "(= x (+= y 2))");
    assert_eq!(dump("-(2 ** 31) - 1;"), "(- (- (** 2 31)) 1)");
    assert_eq!(dump("(-2) ** 3;"), "(** (- 2) 3)");
    assert_eq!(
        dump("typeof x === \"number\";"),
        "(=== (typeof x) \"number\")"
    );
    assert_eq!(dump("a ? b : c ? d : e;"), "(? a b (? c d e))");
    assert_eq!(
        dump("o.k >>>= 1; a[i] **= 2;"),
        "(>>>= o.k 1)\n(**= a[i] 2)"
    );
}

#[test]
fn pipes() {
    assert_eq!(dump("x |> f |> g;"), "(|> (|> x f) g)");
    assert_eq!(dump("1 + 2 |> twice;"), "(|> (+ 1 2) twice)");
    assert_eq!(dump("4 |> c ? f : g;"), "(|> 4 (? c f g))");
    assert_eq!(dump("(5 |> twice) + 1;"), "(+ (|> 5 twice) 1)");
    assert_eq!(dump("y = x |> f;"), "(= y (|> x f))");
    assert_eq!(
        dump("10 |> ((n: number): number => n - 3);"),
        "(|> 10 (=> [n] (- n 3)))"
    );
}

#[test]
fn optional_chains() {
    assert_eq!(dump("a?.b.c;"), "(chain (. (?. a b) c))");
    assert_eq!(
        dump("p?.greet?.(\"x\") ?? d;"),
        "(?? (chain (?.call (?. p greet) \"x\")) d)"
    );
    assert_eq!(dump("a?.[k];"), "(chain (?.[] a k))");
    assert_eq!(dump("(a?.b).c;"), "(. (chain (?. a b)) c)");
    assert_eq!(dump("f(...xs, 1);"), "(call f ...xs 1)");
    assert_eq!(
        dump("a.delete(1).default;"),
        "(. (call (. a delete) 1) default)"
    );
    assert_eq!(dump("x = a?.5:b;"), "(= x (? a 0.5 b))");
}

#[test]
fn literals_and_templates() {
    assert_eq!(dump("[1, , ...a, ];"), "(array 1 <hole> ...a)");
    assert_eq!(
        dump("({ a, b: 1, [k]: 2, \"s\": 3, 4: 5, ...o, m(x) { return x; }, undefined });"),
        "(object a b:1 [k]:2 \"s\":3 4:5 ...o m:method[x] {(return x)} undefined)"
    );
    assert_eq!(
        dump("`a${b}c${`d${e}`}`;"),
        "(tpl \"a\" b \"c\" (tpl \"d\" e \"\") \"\")"
    );
    assert_eq!(dump("`\\`tick\\` \\${x}`;"), "(tpl \"`tick` ${x}\")");
    assert_eq!(dump("x = 0x10 + 1_000 + .5;"), "(= x (+ (+ 16 1000) 0.5))");
    assert_eq!(dump("true; false; undefined;"), "true\nfalse\nundefined");
}

#[test]
fn functions_and_arrows() {
    assert_eq!(
        dump("function f(a, b = a * 10, { c, d: [e] }, ...rest: number[]): number { return a; }"),
        "(function f [a b=(* a 10) {c d:[e]} ...rest] {(return a)})"
    );
    assert_eq!(
        dump("const f = x => x * 2;"),
        "(const f = (=> [x] (* x 2)))"
    );
    assert_eq!(dump("const f = (): number => 1;"), "(const f = (=> [] 1))");
    assert_eq!(
        dump("const f = <T>(x: T): T => x;"),
        "(const f = (=> [x] x))"
    );
    assert_eq!(
        dump("const f = ({ a }, [b]) => { return a; };"),
        "(const f = (=> [{a} [b]] {(return a)}))"
    );
    assert_eq!(
        dump("((x: number) => x * x)(7);"),
        "(call (=> [x] (* x x)) 7)"
    );
    assert_eq!(dump("f<string, Map<K, V>>(x);"), "(call f x)");
    assert_eq!(dump("a < b && c > d;"), "(&& (< a b) (> c d))");
    assert_eq!(dump("c ? (x) : y;"), "(? c x y)");
    assert_eq!(
        dump("export function handler(req: Request): Response {}"),
        "(export function handler [req] {})"
    );
}

#[test]
fn declarations_and_statements() {
    assert_eq!(
        dump("const { a, b: { c = 1 }, ...r } = o, [x, , y = 2, ...z] = arr;"),
        "(const {a b:{c=1} ...r} = o [x _ y=2 ...z] = arr)"
    );
    assert_eq!(dump("let a; let b = 1"), "(let a)\n(let b = 1)");
    assert_eq!(
        dump("for (const [k, v] of Object.entries(o)) { if (k) continue; else break; }"),
        "(for const [k v] of (call (. Object entries) o) {(if k continue break)})"
    );
    assert_eq!(
        dump("assert x !== undefined;\nassert ok, Response.json(1);"),
        "(assert (!== x undefined))\n(assert ok, (call (. Response json) 1))"
    );
    assert_eq!(
        dump("function f() { return\n1 }"),
        "(function f [] {(return) 1})"
    );
    assert_eq!(dump("a\n(b)"), "(call a b)");
    assert_eq!(dump("a\nb"), "a\nb");
    assert_eq!(dump("; debugger;"), ";\n;");
    assert_eq!(
        dump(
            "import { a, b as c, type T, default as d } from \"m\";\nimport type { U } from './u.ts';"
        ),
        "(import \"m\" a:a b:c type T:T default:d)\n(import type \"./u.ts\" type U:U)"
    );
    assert_eq!(
        dump("export const X = 1; export let y;"),
        "(export const X = 1)\n(export let y)"
    );
}

#[test]
fn typescript_is_erased() {
    let src = "type R<T = string> = { readonly [k: string]: T; f?(x: number): void } | `/api/${string}`;\n\
               interface I<T> extends A<T>, B { a: (x: T, ...r: T[]) => T; b: [x: number, y?: string, ...rest: any[]]; new (): I<T>; <U>(u: U): U }\n\
               distinct type Id = string;\n\
               export type M<K extends keyof T, T> = { [P in K]-?: T[P] } & Partial<T>;\n\
               type C<T> = T extends (infer U)[] ? U : never;\n\
               function g(x: unknown): x is string { return true; }\n\
               function h(x: number | undefined, y: typeof z, w: Array<Array<number>>= []): asserts x {}\n\
               const t: [number, string] = [1, \"a\"];\n\
               let u: (() => number)[] = [];\n\
               const r: { a: number, b: string } = o;";
    // `any` is rejected, so take it out of the tuple first.
    let src = src.replace("any[]", "unknown[]");
    assert_eq!(
        dump(&src),
        "(Alias R)\n(Interface I)\n(Distinct Id)\n(export Alias M)\n(Alias C)\n\
         (function g [x] {(return true)})\n(function h [x y w=(array)] {})\n\
         (const t = (array 1 \"a\"))\n(let u = (array))\n(const r = o)"
    );
}

#[test]
fn match_expressions() {
    assert_eq!(
        dump(
            "x = match (r) {\n  when { method: \"GET\", \"p-q\": _ }: 1\n  when [_, , \"end\"]: 2,\n  when -1: 3\n  when undefined: 4\n  default: 5\n};"
        ),
        "(= x (match r (when {method:\"GET\" p-q:_} 1) (when [_ <hole> \"end\"] 2) (when -1 3) (when undefined 4) (default 5)))"
    );
    assert_eq!(dump("m.match(x);"), "(call (. m match) x)");
}

#[test]
fn jsx() {
    let src = "x = <div className=\"box\" data-id={1} checked {...p}>\n  Hello, {name} !\n  <br />\n  <Card.Body><>a</></Card.Body>\n  {/* comment */}\n</div>;";
    assert_eq!(
        dump_with(src, true),
        "(= x (<\"div\" className=\"box\" data-id=1 checked ...p> \"Hello,\" {name} \"!\" (<\"br\" />) (<Card.Body> (<> \"a\")) ))"
            .replace(" ))", "))")
    );
    assert_eq!(
        dump_with("x = <Fragment><p>B</p></Fragment>;", true),
        "(= x (<> (<\"p\"> \"B\")))"
    );
    assert_eq!(
        dump_with("x = <Badge label=\"new\" />;", true),
        "(= x (<Badge label=\"new\" />))"
    );
    assert_eq!(
        dump_with("x = n > 2 && <b>it's</b>;", true),
        "(= x (&& (> n 2) (<\"b\"> \"it's\")))"
    );
    assert_eq!(
        dump_with("x = a < b ? 1 : 2;", true),
        "(= x (? (< a b) 1 2))"
    );
    assert_eq!(
        dump_with("const f = <T,>(x: T) => x;", true),
        "(const f = (=> [x] x))"
    );
}

#[test]
fn rejections() {
    let cases: &[(&str, &str)] = &[
        (
            "var x = 1;",
            "ZTS001 1:1 'var' is not supported; use 'let' or 'const' instead",
        ),
        (
            "x == 1;",
            "ZTS001 1:3 '==' is not supported; use '===' for strict equality instead",
        ),
        (
            "x != 1;",
            "ZTS001 1:3 '!=' is not supported; use '!==' for strict inequality instead",
        ),
        (
            "x &&= 1;",
            "ZTS001 1:3 '&&=' is not supported; use 'x = x && value' instead",
        ),
        (
            "x ??= 1;",
            "ZTS001 1:3 '??=' is not supported; use 'x = x ?? value' instead",
        ),
        (
            "++x;",
            "ZTS001 1:1 '++' is not supported; use 'x = x + 1' instead",
        ),
        (
            "x--;",
            "ZTS001 1:2 '--' is not supported; use 'x = x - 1' instead",
        ),
        (
            "Object.assign({}, a);",
            "ZTS001 1:1 'Object.assign' is not supported; use object spread {...obj1, ...obj2} instead",
        ),
        (
            "Object.freeze(a);",
            "ZTS001 1:1 'Object.freeze' is not supported; objects are mutable by design",
        ),
        (
            "const p: number = Promise.resolve(1);",
            "ZTS001 1:19 'Promise' is not supported; use Result types or callbacks instead",
        ),
        (
            "x = RegExp(\"a\");",
            "ZTS001 1:5 'RegExp' is not supported; use string methods instead",
        ),
        (
            "x = function () {};",
            "ZTS001 1:5 function expression is not supported; use arrow functions '(x) => x * 2' or function declarations 'function name() { }' instead",
        ),
        (
            "function* g() {}",
            "ZTS001 1:9 generator function is not supported; generators are not available",
        ),
        (
            "yield 1;",
            "ZTS001 1:1 'yield' is not supported; generators are not available",
        ),
        (
            "x = super.y;",
            "ZTS001 1:5 'super' is not supported; use explicit function calls instead",
        ),
        (
            "@dec function f() {}",
            "ZTS001 1:1 '@decorator' is not supported; use function composition instead",
        ),
        (
            "namespace N {}",
            "ZTS001 1:1 'namespace' is not supported; use ES6 modules instead",
        ),
        (
            "const enum E { A }",
            "ZTS001 1:7 'enum' is not supported; use object literals or discriminated unions instead",
        ),
        (
            "export enum E { A }",
            "ZTS001 1:8 'enum' is not supported; use object literals or discriminated unions instead",
        ),
        (
            "function f(private x) {}",
            "ZTS001 1:12 'private' is not supported; use naming conventions (e.g., _private) instead",
        ),
        (
            "x = async () => 1;",
            "ZTS001 1:5 'async' is not supported; use fetchSync(), parallel(), race()",
        ),
        (
            "for (let i = 0; i < 3; i = i + 1) {}",
            "ZTS001 1:1 C-style 'for' is not supported; use 'for (let x of array)' or 'for (let i of range(n))' instead",
        ),
        (
            "for (;;) {}",
            "ZTS001 1:1 C-style 'for' is not supported; use 'for (let x of array)' or 'for (let i of range(n))' instead",
        ),
        (
            "for (k in o) {}",
            "ZTS001 1:8 'for-in' is not supported; use 'for-of' to iterate over values instead",
        ),
        (
            "for (var k of o) {}",
            "ZTS001 1:6 'var' is not supported; use 'let' or 'const' instead",
        ),
        (
            "for (const x of xs) { continue outer; }",
            "ZTS001 1:32 labeled 'continue' is not supported; use a conditional instead",
        ),
        (
            "outer: for (const x of xs) {}",
            "ZTS001 1:1 labeled statement is not supported; use a conditional instead",
        ),
        (
            "x = match (y) { when null: 1 };",
            "ZTS001 1:22 'null' is not supported; use 'undefined' for absent values instead",
        ),
        (
            "x = y!;",
            "ZTS001 1:6 the non-null assertion '!' is not supported; check for undefined explicitly, e.g. 'if (x !== undefined)'",
        ),
        (
            "x = ({ get a() { return 1; } });",
            "ZTS001 1:8 'get' accessor is not supported; use a plain property instead",
        ),
        (
            "x = tag`a`;",
            "ZTS001 1:8 tagged template is not supported; call the function with a template literal argument instead",
        ),
        (
            "x = y / 2; z = /a/g;",
            "ZTS001 1:16 regex literal is not supported; use string methods instead",
        ),
        (
            "x = <number>y;",
            "ZTS042 1:5 '<T>' type assertion is not supported; use type-safe patterns instead",
        ),
        (
            "let x: Array<any> = [];",
            "ZTS041 1:14 'any' type is not supported; use specific types (string, number, object) or union types instead",
        ),
        (
            "const f = (x: any) => x;",
            "ZTS041 1:15 'any' type is not supported; use specific types (string, number, object) or union types instead",
        ),
        (
            "f<any>(1);",
            "ZTS041 1:3 'any' type is not supported; use specific types (string, number, object) or union types instead",
        ),
        (
            "import * as m from \"m\";",
            "ZTS002 1:1 'import * as X' namespace imports are not supported; use named imports: import { x } from \"module\"",
        ),
        (
            "import \"m\";",
            "ZTS002 1:1 'import \"module\"' side-effect imports are not supported; use named imports: import { x } from \"module\"",
        ),
        (
            "export { a };",
            "ZTS002 1:1 'export { ... }' re-exports are not supported; use named exports: export function handler() {}",
        ),
        (
            "export * from \"m\";",
            "ZTS002 1:1 'export *' re-exports are not supported; use named exports: export function handler() {}",
        ),
        ("break;", "ZTS022 1:1 'break' outside of loop"),
        ("return 1;", "ZTS024 1:1 'return' outside of function"),
        (
            "const x;",
            "ZTS021 1:7 'const' declaration must be initialized",
        ),
        (
            "a?.b = 1;",
            "ZTS016 1:1 invalid assignment target; assign to a variable, a property 'o.k' or an element 'o[k]'",
        ),
        (
            "x = <div></span>;",
            "ZTS033 1:12 mismatched JSX closing tag: expected '</div>', found '</span>'",
        ),
        ("x = <div>", "ZTS035 1:5 unclosed JSX element '<div>'"),
        ("x = 'a\\x4';", "ZTS013 1:7 invalid escape sequence"),
        ("x = 08;", "ZTS012 1:5 invalid number literal"),
        (
            "x = `a${b`;",
            "ZTS009 1:10 unterminated template literal; close the template literal with '`'",
        ),
        (
            "x = 1; /* open",
            "ZTS011 1:8 unterminated block comment; close the comment with '*/'",
        ),
        ("x = a ¤ b;", "ZTS040 1:7 unexpected character"),
        (
            "x = -2 ** 2;",
            "ZTS002 1:8 a unary expression cannot be the left operand of '**'; add parentheses, e.g. '(-x) ** 2'",
        ),
        (
            "x = (a, b);",
            "ZTS001 1:7 the comma operator is not supported; write each expression separately",
        ),
    ];
    for (src, expected) in cases {
        let jsx = src.contains("<div");
        assert_eq!(&first_error(src, jsx), expected, "{src}");
    }
}

#[test]
fn first_error_wins() {
    // The lexer error comes later in the source than the parse error.
    assert_eq!(
        first_error("var x = \"unterminated\n", false),
        "ZTS001 1:1 'var' is not supported; use 'let' or 'const' instead"
    );
    assert!(first_error("x = \"a;\nvar y;", false).starts_with("ZTS008 1:5"));
}

#[test]
fn spans_cover_their_source() {
    let src = "export function handler(req) {\n  return req.path |> f;\n}";
    let arena = Bump::new();
    let r = parse(&arena, FileId(0), src, false);
    let Stmt::Function(f) = r.program.stmts[0] else {
        panic!()
    };
    assert_eq!(f.span.text(src), src);
    assert_eq!(f.name().span.text(src), "handler");
    let FunctionBody::Block(b) = f.function.body else {
        panic!()
    };
    let Stmt::Return(ret) = b.stmts[0] else {
        panic!()
    };
    assert_eq!(ret.span.text(src), "return req.path |> f;");
    assert_eq!(ret.arg.unwrap().span().text(src), "req.path |> f");
}

#[test]
fn recovering_reports_the_first_error_of_each_top_level_item() {
    let src = "export function a() {\n  var x = 1;\n}\nconst ok = 1;\nfunction b() {\n  while (true) {}\n  var y = 2;\n}\n  export const c = ;\nexport const d = ;\n";
    let arena = Bump::new();
    let plain = super::parse(&arena, FileId(0), src, false);
    assert_eq!(plain.diagnostics.len(), 1);
    let r = super::parse_recovering(&arena, FileId(0), src, false);
    let lines: Vec<u32> = r
        .diagnostics
        .iter()
        .map(|d| {
            crate::front::diag::SourceFile::new("t.ts", src)
                .line_col(d.span.start)
                .0
        })
        .collect();
    // `var` in a, `while` in b (its `var` is the same item), `d` (the
    // indented `export` on line 9 is not an item start, so c's error is
    // swallowed with b's item).
    assert_eq!(lines, [2, 6, 10], "{:?}", r.diagnostics);
    assert!(r.panicked);
    assert!(!r.program.stmts.is_empty());
    let clean = super::parse_recovering(&arena, FileId(0), "const a = 1;\nconst b = 2;\n", false);
    assert!(clean.diagnostics.is_empty() && !clean.panicked);
}
