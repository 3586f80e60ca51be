//! `zigttp:log`: structured logging. `logDebug/logInfo/logWarn/logError(msg,
//! ctx?)` each write one NDJSON line `{"ts":<epoch ms>,"level":...,"msg":...,
//! ...ctx}` through the host (stderr by default). The context's own
//! properties follow as JSON values; keys named `ts`, `level` or `msg` are
//! dropped so that a context cannot forge them. Never stubbed in tests.

use super::{ModFn, str_arg};
use crate::builtins::object::own_entries;
use crate::interp::Vm;
use crate::trap::{Trap, TrapKind};
use crate::value::{Class, Object, Value};

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let level = match f {
        ModFn::LogDebug => "debug",
        ModFn::LogInfo => "info",
        ModFn::LogWarn => "warn",
        ModFn::LogError => "error",
        _ => return Err(Trap::new(TrapKind::Internal, "log dispatch")),
    };
    let msg = match args.first().copied() {
        None | Some(Value::Undefined) => "",
        Some(_) => str_arg(vm, args, 0)?,
    };
    let ctx = args.get(1).copied().unwrap_or(Value::Undefined);
    let line = Object::new_in(vm.arena, Class::Plain);
    line.set("ts", Value::Num(vm.host.now_ms()));
    line.set("level", Value::Str(level));
    line.set("msg", Value::Str(msg));
    if matches!(ctx, Value::Object(_) | Value::FrozenObject(_)) {
        for (k, v) in own_entries(vm, ctx) {
            if !matches!(k, "ts" | "level" | "msg") {
                line.set(k, v);
            }
        }
    }
    if let Value::Str(text) =
        crate::builtins::json::stringify(vm, Value::Object(line), Value::Undefined)?
    {
        vm.host.log_line(text);
    }
    Ok(Value::Undefined)
}
