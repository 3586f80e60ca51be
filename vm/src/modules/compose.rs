//! `zigttp:compose`: `pipe(f1, ..., fN)` (guard chains are compiled away).

use crate::builtins::call_value;
use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::Value;

/// `pipe(f1, ..., fN)` is `fN(...f2(f1()))`.
pub fn pipe<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let Some((first, rest)) = args.split_first() else {
        return Err(Trap::type_error("pipe() needs at least one function"));
    };
    let mut acc = call_value(vm, *first, &[])?;
    for f in rest {
        acc = call_value(vm, *f, &[acc])?;
    }
    Ok(acc)
}
