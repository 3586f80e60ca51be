//! `zigttp:sql`: named SQLite statements.
//!
//! - `sql(name, statement)` registers a statement under a name. Module-level
//!   code only (module state is frozen after load); registering the same
//!   statement again is a no-op, a different one under the same name is an
//!   error.
//! - `sqlOne(name, params?)` answers the first row (an object keyed by
//!   column name) or undefined; `sqlMany(name, params?)` every row. Both
//!   need a read-only statement.
//! - `sqlExec(name, params?)` runs a statement that writes and answers
//!   `{rowsAffected, lastInsertRowId}`.
//!
//! Parameters are bound by name through SQLite's binding API: `:id` (or
//! `@id`, `$id`) takes `params.id`; a missing or an unexpected parameter is
//! an error, positional `?` parameters are not supported, and values are
//! never spliced into the SQL text. Strings bind as TEXT, integral numbers
//! as INTEGER, other numbers as REAL, booleans as 1/0, undefined as NULL.
//! Columns read back as numbers, strings, or undefined for NULL.
//!
//! The database is private to one [`crate::Services`] and in memory unless
//! the embedder names a file ([`crate::Services::with_sqlite_path`]). Each
//! query name is checked against the policy's `sql` allow-list before it
//! runs (in `modules::check_values`).

use super::{ModFn, str_arg};
use crate::builtins::object::own_entries;
use crate::interp::Vm;
use crate::trap::{Trap, TrapKind};
use crate::value::{Array, Class, Object, Value};
use bumpalo::collections::Vec as BVec;
use rusqlite::types::{Value as SqlValue, ValueRef};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

/// Registered statements and the (lazily opened) database.
#[derive(Debug, Default)]
pub struct SqlStore {
    path: Option<PathBuf>,
    statements: RwLock<HashMap<String, String>>,
    conn: Mutex<Option<rusqlite::Connection>>,
}

impl SqlStore {
    pub(crate) fn with_path(path: PathBuf) -> SqlStore {
        SqlStore {
            path: Some(path),
            ..SqlStore::default()
        }
    }

    /// The database file, or `None` for the in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The statement registered under `name`.
    pub fn statement(&self, name: &str) -> Option<String> {
        self.statements
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(name)
            .cloned()
    }
}

fn open(path: Option<&Path>) -> rusqlite::Result<rusqlite::Connection> {
    let conn = match path {
        Some(p) => rusqlite::Connection::open(p)?,
        None => rusqlite::Connection::open_in_memory()?,
    };
    conn.set_prepared_statement_cache_capacity(64);
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

#[cold]
fn sql_error(name: &str, message: impl std::fmt::Display) -> Trap {
    Trap::type_error(format!("SqlError: query '{name}': {message}"))
}

/// A JS value as a bound SQLite value.
fn to_sql(name: &str, key: &str, v: Value<'_>) -> Result<SqlValue, Trap> {
    Ok(match v {
        Value::Undefined => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(b)),
        Value::Num(n) if n.fract() == 0.0 && n.abs() < 9.2e18 => SqlValue::Integer(n as i64),
        Value::Num(n) => SqlValue::Real(n),
        Value::Str(s) => SqlValue::Text(s.to_string()),
        _ => {
            return Err(sql_error(
                name,
                format!(
                    "parameter '{key}' must be a string, number, boolean or undefined, not {}",
                    v.type_of()
                ),
            ));
        }
    })
}

fn register<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    if vm.image().is_some() {
        return Err(Trap::new(
            TrapKind::FrozenWrite,
            "sql statements are registered by module-level code only (module state is frozen after load)",
        ));
    }
    let name = str_arg(vm, args, 0)?;
    let statement = str_arg(vm, args, 1)?;
    if name.is_empty() {
        return Err(Trap::type_error("sql: the query name must not be empty"));
    }
    let mut map = vm
        .services
        .sql
        .statements
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match map.get(name) {
        Some(existing) if existing != statement => Err(Trap::type_error(format!(
            "sql: query '{name}' is already registered with a different statement"
        ))),
        Some(_) => Ok(Value::Bool(true)),
        None => {
            map.insert(name.to_string(), statement.to_string());
            Ok(Value::Bool(true))
        }
    }
}

fn column<'a>(vm: &Vm<'a, '_>, name: &str, v: ValueRef<'_>) -> Result<Value<'a>, Trap> {
    Ok(match v {
        ValueRef::Null => Value::Undefined,
        ValueRef::Integer(i) => Value::Num(i as f64),
        ValueRef::Real(f) => Value::Num(f),
        ValueRef::Text(t) => Value::Str(vm.arena.alloc_str(&String::from_utf8_lossy(t))),
        ValueRef::Blob(_) => return Err(sql_error(name, "BLOB columns are not supported")),
    })
}

fn run<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let name = str_arg(vm, args, 0)?;
    let Some(statement) = vm.services.sql.statement(name) else {
        return Err(Trap::type_error(format!(
            "sql query '{name}' is not registered (register it with sql(name, statement) at module level)"
        )));
    };
    let params = args.get(1).copied().unwrap_or(Value::Undefined);
    let given: Vec<(&'a str, SqlValue)> = match params {
        Value::Undefined => Vec::new(),
        Value::Object(_) | Value::FrozenObject(_) => own_entries(vm, params)
            .into_iter()
            .map(|(k, v)| Ok((k, to_sql(name, k, v)?)))
            .collect::<Result<_, Trap>>()?,
        _ => return Err(sql_error(name, "the parameters must be an object")),
    };

    let services = vm.services;
    let mut guard = services
        .sql
        .conn
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if guard.is_none() {
        *guard = Some(
            open(services.sql.path())
                .map_err(|e| sql_error(name, format!("cannot open the database: {e}")))?,
        );
    }
    let Some(conn) = guard.as_ref() else {
        return Err(Trap::new(TrapKind::Internal, "sql connection missing"));
    };
    let mut stmt = conn
        .prepare_cached(&statement)
        .map_err(|e| sql_error(name, e))?;
    match (f, stmt.readonly()) {
        (ModFn::SqlExec, true) => {
            return Err(sql_error(
                name,
                "sqlExec needs a statement that writes (use sqlOne or sqlMany to read)",
            ));
        }
        (ModFn::SqlOne | ModFn::SqlMany, false) => {
            return Err(sql_error(
                name,
                "sqlOne and sqlMany need a read-only statement (use sqlExec to write)",
            ));
        }
        _ => {}
    }
    let mut used = vec![false; given.len()];
    for i in 1..=stmt.parameter_count() {
        let Some(pname) = stmt.parameter_name(i).map(str::to_string) else {
            return Err(sql_error(
                name,
                "positional parameters are not supported; use named parameters (:name)",
            ));
        };
        let key = pname.get(1..).unwrap_or("");
        let Some(j) = given.iter().position(|(k, _)| *k == key) else {
            return Err(sql_error(name, format!("missing SQL parameter '{pname}'")));
        };
        used[j] = true;
        stmt.raw_bind_parameter(i, &given[j].1)
            .map_err(|e| sql_error(name, e))?;
    }
    if let Some(j) = used.iter().position(|u| !u) {
        return Err(sql_error(
            name,
            format!("unexpected SQL parameter '{}'", given[j].0),
        ));
    }

    if f == ModFn::SqlExec {
        let changes = stmt.raw_execute().map_err(|e| sql_error(name, e))?;
        let last = conn.last_insert_rowid();
        drop(stmt);
        drop(guard);
        let o = Object::with_capacity_in(vm.arena, Class::Plain, 2);
        o.set("rowsAffected", Value::Num(changes as f64));
        o.set("lastInsertRowId", Value::Num(last as f64));
        return Ok(Value::Object(o));
    }

    let columns: Vec<&'a str> = stmt
        .column_names()
        .map(|c| &*vm.arena.alloc_str(c))
        .collect();
    let mut rows = stmt.raw_query();
    let mut out = BVec::new_in(vm.arena);
    while let Some(row) = rows.next().map_err(|e| sql_error(name, e))? {
        let o = Object::with_capacity_in(vm.arena, Class::Plain, columns.len());
        for (i, c) in columns.iter().enumerate() {
            let v = row.get_ref(i).map_err(|e| sql_error(name, e))?;
            o.set(c, column(vm, name, v)?);
        }
        if f == ModFn::SqlOne {
            return Ok(Value::Object(o));
        }
        out.push(Value::Object(o));
        if out.len() % 256 == 0 {
            vm.check_arena()?;
        }
    }
    if f == ModFn::SqlOne {
        return Ok(Value::Undefined);
    }
    Ok(Value::Array(vm.arena.alloc(Array {
        items: std::cell::RefCell::new(out),
    })))
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    match f {
        ModFn::Sql => register(vm, args),
        ModFn::SqlOne | ModFn::SqlMany | ModFn::SqlExec => run(vm, f, args),
        _ => Err(Trap::new(TrapKind::Internal, "sql dispatch")),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Punct(char),
}

fn tokens(sql: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            '\'' => {
                // A string literal ('' escapes a quote): skipped.
                while let Some(c) = chars.next() {
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    if c == close {
                        if close != ']' && chars.peek() == Some(&close) {
                            chars.next();
                            s.push(c);
                        } else {
                            break;
                        }
                    } else {
                        s.push(c);
                    }
                }
                out.push(Tok::Quoted(s));
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut s = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '$' {
                        s.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Word(s));
            }
            c => out.push(Tok::Punct(c)),
        }
    }
    out
}

/// Words that can follow FROM/INTO/... without being a table name.
const NOT_TABLES: &[&str] = &[
    "select",
    "values",
    "set",
    "where",
    "default",
    "if",
    "not",
    "exists",
    "only",
    "lateral",
    "on",
    "using",
    "group",
    "order",
    "limit",
    "having",
    "union",
    "returning",
];

fn word_is(t: Option<&Tok>, w: &str) -> bool {
    matches!(t, Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
}

/// A table name at `toks[i]` (`name`, `"name"`, `schema.name`): the name
/// (unquoted names lowercased) and the index after it.
fn table_at(toks: &[Tok], mut i: usize) -> Option<(String, usize)> {
    while ["if", "not", "exists", "only"]
        .iter()
        .any(|w| word_is(toks.get(i), w))
    {
        i += 1;
    }
    let mut name = match toks.get(i)? {
        Tok::Word(w) if !NOT_TABLES.contains(&w.to_ascii_lowercase().as_str()) => {
            w.to_ascii_lowercase()
        }
        Tok::Quoted(q) => q.clone(),
        _ => return None,
    };
    i += 1;
    // `schema.table`: keep the table.
    while toks.get(i) == Some(&Tok::Punct('.')) {
        match toks.get(i + 1) {
            Some(Tok::Word(w)) => name = w.to_ascii_lowercase(),
            Some(Tok::Quoted(q)) => name.clone_from(q),
            _ => break,
        }
        i += 2;
    }
    Some((name, i))
}

/// For the contract: a statement's operation (`select`, `insert`, `update`,
/// `delete`, or the first keyword of anything else, e.g. `create`) and the
/// tables it names after FROM, INTO, UPDATE, JOIN or TABLE, sorted.
pub fn describe_statement(statement: &str) -> (String, Vec<String>) {
    let toks = tokens(statement);
    let first = match toks.first() {
        Some(Tok::Word(w)) => w.to_ascii_lowercase(),
        _ => String::new(),
    };
    let mut operation = first.clone();
    if first == "with" {
        let mut depth = 0i32;
        for t in &toks[1..] {
            match t {
                Tok::Punct('(') => depth += 1,
                Tok::Punct(')') => depth -= 1,
                Tok::Word(w) if depth == 0 => {
                    let w = w.to_ascii_lowercase();
                    if ["select", "insert", "update", "delete", "replace"].contains(&w.as_str()) {
                        operation = w;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    if operation == "replace" {
        operation = "insert".into();
    }
    // Tables follow FROM, JOIN, INTO, UPDATE and TABLE; inside a FROM
    // clause (until the next clause keyword) a comma at the clause's own
    // nesting depth introduces another one.
    let mut tables = Vec::new();
    let mut from_depth: Option<i32> = None;
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate() {
        let at_table = match t {
            Tok::Punct('(') => {
                depth += 1;
                false
            }
            Tok::Punct(')') => {
                depth -= 1;
                if from_depth.is_some_and(|d| depth < d) {
                    from_depth = None;
                }
                false
            }
            Tok::Punct(',') => from_depth == Some(depth),
            Tok::Word(w) => {
                let w = w.to_ascii_lowercase();
                match w.as_str() {
                    "from" | "join" => {
                        from_depth = Some(depth);
                        true
                    }
                    "into" | "update" | "table" => {
                        from_depth = None;
                        true
                    }
                    w if is_clause(w)
                        && !matches!(
                            w,
                            "join"
                                | "on"
                                | "using"
                                | "inner"
                                | "left"
                                | "right"
                                | "full"
                                | "cross"
                                | "natural"
                        ) =>
                    {
                        if from_depth == Some(depth) {
                            from_depth = None;
                        }
                        false
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if at_table && let Some((name, _)) = table_at(&toks, i + 1) {
            tables.push(name);
        }
    }
    tables.sort();
    tables.dedup();
    (operation, tables)
}

fn is_clause(w: &str) -> bool {
    [
        "where",
        "join",
        "inner",
        "left",
        "right",
        "full",
        "cross",
        "natural",
        "on",
        "group",
        "order",
        "limit",
        "having",
        "union",
        "except",
        "intersect",
        "returning",
        "window",
        "set",
        "values",
        "select",
        "using",
    ]
    .contains(&w.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_statements() {
        let d = |s: &str| describe_statement(s);
        assert_eq!(
            d("SELECT id, name FROM users WHERE id = :id"),
            ("select".into(), vec!["users".into()])
        );
        assert_eq!(
            d("select * from Orders o join \"Line Items\" li on li.o = o.id, main.extra x"),
            (
                "select".into(),
                vec!["Line Items".into(), "extra".into(), "orders".into()]
            )
        );
        assert_eq!(
            d("INSERT OR REPLACE INTO notes (body) VALUES (:body)"),
            ("insert".into(), vec!["notes".into()])
        );
        assert_eq!(
            d("  -- bump\n UPDATE counters SET n = n + 1 WHERE k = 'from x'"),
            ("update".into(), vec!["counters".into()])
        );
        assert_eq!(
            d("DELETE FROM sessions"),
            ("delete".into(), vec!["sessions".into()])
        );
        assert_eq!(
            d("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY)"),
            ("create".into(), vec!["users".into()])
        );
        assert_eq!(
            d(
                "WITH recent AS (SELECT * FROM events) DELETE FROM archive WHERE id IN (SELECT id FROM recent)"
            ),
            (
                "delete".into(),
                vec!["archive".into(), "events".into(), "recent".into()]
            )
        );
        assert_eq!(
            d("INSERT INTO t (k) VALUES (:k) ON CONFLICT (k) DO UPDATE SET n = n + 1"),
            ("insert".into(), vec!["t".into()])
        );
    }
}
