//! The instruction set, declared once.
//!
//! [`for_each_op!`] is the single list of instructions: opcode byte, variant
//! name, mnemonic, operands with their [`Role`], and a one-line doc. From it
//! come the [`Op`] enum, [`OpCode`], the encoder and decoder, the operand
//! walk the verifier runs, the disassembler's names and the generated
//! `docs/bytecode.md`. Nothing else lists instructions.
//!
//! Encoding: one opcode byte, then each operand little-endian at the width its
//! role fixes ([`Role::width`]). Jump targets are absolute byte offsets inside
//! the function.

use crate::operand::{
    AtomIdx, BuiltinIdx, ConstIdx, FuncIdx, GlobalIdx, ImportIdx, Operand, OperandValue, Reader,
    Reg, RegRange, Role, Target, UpvalIdx,
};

/// Maps a role name of the table to the Rust type of the operand.
macro_rules! role_ty {
    (In) => {
        Reg
    };
    (Out) => {
        Reg
    };
    (Args) => {
        RegRange
    };
    (Num) => {
        ConstIdx
    };
    (Str) => {
        ConstIdx
    };
    (Atom) => {
        AtomIdx
    };
    (Func) => {
        FuncIdx
    };
    (Import) => {
        ImportIdx
    };
    (Global) => {
        GlobalIdx
    };
    (Builtin) => {
        BuiltinIdx
    };
    (Upval) => {
        UpvalIdx
    };
    (Jump) => {
        Target
    };
    (Imm) => {
        i32
    };
}

/// The instruction table. `$m` is called with the whole list.
#[macro_export]
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            0x00 Nop "nop" {} "Does nothing.";
            // ---- loads and moves
            0x01 LoadUndef "load_undef" { dst: Out } "dst = undefined.";
            0x02 LoadTrue "load_true" { dst: Out } "dst = true.";
            0x03 LoadFalse "load_false" { dst: Out } "dst = false.";
            0x04 LoadInt "load_int" { dst: Out, value: Imm } "dst = the integer immediate, as a number.";
            0x05 LoadNum "load_num" { dst: Out, k: Num } "dst = number constant k.";
            0x06 LoadStr "load_str" { dst: Out, k: Str } "dst = string constant k.";
            0x07 Move "move" { dst: Out, src: In } "dst = src.";
            0x08 LoadGlobal "load_global" { dst: Out, g: Global } "dst = module binding g (read-only outside the module initializer).";
            0x09 StoreGlobal "store_global" { g: Global, src: In } "Module binding g = src. Only the module initializer (function 0) may contain it.";
            0x0A LoadBuiltin "load_builtin" { dst: Out, b: Builtin } "dst = built-in global b (Math, JSON, Response, ...).";
            0x0B LoadImport "load_import" { dst: Out, i: Import } "dst = the function a module import names.";
            // ---- closures and captured cells
            0x10 MakeClosure "make_closure" { dst: Out, f: Func } "dst = a closure of function f, capturing what f's capture list names (reads those registers). Only f's parent may contain it.";
            0x11 BoxNew "box_new" { dst: Out, src: In } "dst = a new cell holding src (a variable captured by a closure).";
            0x12 BoxGet "box_get" { dst: Out, cell: In } "dst = the value in cell. Traps if cell is not a cell.";
            0x13 BoxSet "box_set" { cell: In, src: In } "Stores src in cell. Traps if cell is not a cell.";
            0x14 UpGet "up_get" { dst: Out, up: Upval } "dst = the value in captured cell up.";
            0x15 UpSet "up_set" { up: Upval, src: In } "Stores src in captured cell up.";
            // ---- arithmetic, bitwise, comparison (JS semantics)
            0x20 Add "add" { dst: Out, a: In, b: In } "dst = a + b (number addition or string concatenation).";
            0x21 Sub "sub" { dst: Out, a: In, b: In } "dst = a - b.";
            0x22 Mul "mul" { dst: Out, a: In, b: In } "dst = a * b.";
            0x23 Div "div" { dst: Out, a: In, b: In } "dst = a / b.";
            0x24 Mod "mod" { dst: Out, a: In, b: In } "dst = a % b.";
            0x25 Pow "pow" { dst: Out, a: In, b: In } "dst = a ** b.";
            0x26 BitAnd "bit_and" { dst: Out, a: In, b: In } "dst = a & b.";
            0x27 BitOr "bit_or" { dst: Out, a: In, b: In } "dst = a | b.";
            0x28 BitXor "bit_xor" { dst: Out, a: In, b: In } "dst = a ^ b.";
            0x29 Shl "shl" { dst: Out, a: In, b: In } "dst = a << b.";
            0x2A Shr "shr" { dst: Out, a: In, b: In } "dst = a >> b.";
            0x2B UShr "ushr" { dst: Out, a: In, b: In } "dst = a >>> b.";
            0x2C StrictEq "strict_eq" { dst: Out, a: In, b: In } "dst = a === b.";
            0x2D StrictNe "strict_ne" { dst: Out, a: In, b: In } "dst = a !== b.";
            0x2E Lt "lt" { dst: Out, a: In, b: In } "dst = a < b.";
            0x2F Le "le" { dst: Out, a: In, b: In } "dst = a <= b.";
            0x30 Gt "gt" { dst: Out, a: In, b: In } "dst = a > b.";
            0x31 Ge "ge" { dst: Out, a: In, b: In } "dst = a >= b.";
            0x32 In "in" { dst: Out, key: In, obj: In } "dst = key in obj. Traps if obj is not an object.";
            0x38 Neg "neg" { dst: Out, src: In } "dst = -src.";
            0x39 Plus "plus" { dst: Out, src: In } "dst = +src (ToNumber).";
            0x3A Not "not" { dst: Out, src: In } "dst = !src.";
            0x3B BitNot "bit_not" { dst: Out, src: In } "dst = ~src.";
            0x3C TypeOf "typeof" { dst: Out, src: In } "dst = typeof src.";
            0x3D Concat "concat" { dst: Out, parts: Args } "dst = the string conversions of parts, joined (template literals).";
            // ---- control flow
            0x40 Jump "jump" { target: Jump } "Continues at target.";
            0x41 JumpIfTrue "jump_if_true" { cond: In, target: Jump } "Continues at target when cond is truthy.";
            0x42 JumpIfFalse "jump_if_false" { cond: In, target: Jump } "Continues at target when cond is falsy.";
            0x43 JumpIfUndef "jump_if_undef" { src: In, target: Jump } "Continues at target when src is undefined.";
            0x44 JumpIfNotUndef "jump_if_not_undef" { src: In, target: Jump } "Continues at target when src is not undefined.";
            0x45 Return "return" { src: In } "Returns src to the caller.";
            0x46 ReturnUndef "return_undef" {} "Returns undefined to the caller.";
            // ---- objects and arrays
            0x50 NewObject "new_object" { dst: Out } "dst = {}.";
            0x51 NewArray "new_array" { dst: Out } "dst = [].";
            0x52 GetProp "get_prop" { dst: Out, obj: In, key: Atom } "dst = obj.key. Traps when obj is undefined.";
            0x53 SetProp "set_prop" { obj: In, key: Atom, src: In } "obj.key = src. Traps on undefined, primitives and frozen image objects.";
            0x54 GetElem "get_elem" { dst: Out, obj: In, key: In } "dst = obj[key]. Traps when obj is undefined.";
            0x55 SetElem "set_elem" { obj: In, key: In, src: In } "obj[key] = src. Traps on undefined, primitives and frozen image objects.";
            0x56 ArrayPush "array_push" { arr: In, src: In } "Appends src to the array arr (array literals).";
            0x57 ArraySpread "array_spread" { arr: In, src: In } "Appends every value src iterates to the array arr. Traps if src is not iterable.";
            0x58 ObjectSpread "object_spread" { obj: In, src: In } "Copies src's own enumerable properties into obj (undefined copies nothing).";
            0x59 ObjectRest "object_rest" { dst: Out, src: In, exclude: Args } "dst = a copy of src's own properties except the keys held by the exclude registers.";
            0x5A ArrayRest "array_rest" { dst: Out, src: In, from: Imm } "dst = the values src iterates, from index `from` on, as a new array.";
            // ---- calls
            0x60 Call "call" { dst: Out, callee: In, args: Args } "dst = callee(args...). Traps if callee is not callable.";
            0x61 CallMethod "call_method" { dst: Out, obj: In, key: Atom, args: Args } "dst = obj.key(args...): a built-in method of obj's type, or a function-valued property.";
            0x62 CallSpread "call_spread" { dst: Out, callee: In, args: In } "dst = callee(...args), args an array.";
            0x63 CallMethodSpread "call_method_spread" { dst: Out, obj: In, key: Atom, args: In } "dst = obj.key(...args), args an array.";
            0x64 CallDirect "call_direct" { dst: Out, f: Func, args: Args } "dst = f(args...), a function that captures nothing; the argument count must equal f's parameter count.";
            // ---- iteration
            0x70 IterInit "iter_init" { dst: Out, src: In } "dst = an iterator over src (array, string by code point, Map entries, Set values, range). Traps if src is not iterable.";
            0x71 IterNext "iter_next" { dst: Out, iter: In, done: Jump } "dst = the next value of iter; continues at done when iter is exhausted (dst is then left as it was).";
            // ---- the same with an integer literal as the right operand (saves a load_int)
            0x80 AddImm "add_imm" { dst: Out, a: In, value: Imm } "dst = a + value (number addition, or string concatenation when a is a string).";
            0x81 SubImm "sub_imm" { dst: Out, a: In, value: Imm } "dst = a - value.";
            0x82 MulImm "mul_imm" { dst: Out, a: In, value: Imm } "dst = a * value.";
            0x83 ModImm "mod_imm" { dst: Out, a: In, value: Imm } "dst = a % value.";
            0x84 StrictEqImm "strict_eq_imm" { dst: Out, a: In, value: Imm } "dst = a === value.";
            0x85 StrictNeImm "strict_ne_imm" { dst: Out, a: In, value: Imm } "dst = a !== value.";
            0x86 LtImm "lt_imm" { dst: Out, a: In, value: Imm } "dst = a < value.";
            0x87 LeImm "le_imm" { dst: Out, a: In, value: Imm } "dst = a <= value.";
            0x88 GtImm "gt_imm" { dst: Out, a: In, value: Imm } "dst = a > value.";
            0x89 GeImm "ge_imm" { dst: Out, a: In, value: Imm } "dst = a >= value.";
        }
    };
}

macro_rules! define_isa {
    ($( $code:literal $name:ident $mnem:literal { $($field:ident : $role:ident),* } $doc:literal; )*) => {
        /// The opcode byte of an instruction.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum OpCode { $($name = $code,)* }

        /// A decoded instruction with typed operands.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Op {
            $(
                #[doc = $doc]
                $name { $($field: role_ty!($role)),* },
            )*
        }

        impl OpCode {
            /// Every opcode, in table order.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name,)*];

            /// The opcode for a byte, if it names one.
            pub fn from_byte(byte: u8) -> Option<OpCode> {
                match byte {
                    $($code => Some(OpCode::$name),)*
                    _ => None,
                }
            }

            /// The assembler name.
            pub fn mnemonic(self) -> &'static str {
                match self { $(OpCode::$name => $mnem,)* }
            }

            /// Operand names and roles, in encoding order.
            pub fn operands(self) -> &'static [(&'static str, Role)] {
                match self { $(OpCode::$name => &[$((stringify!($field), Role::$role)),*],)* }
            }

            /// The one-line description from the table.
            pub fn doc(self) -> &'static str {
                match self { $(OpCode::$name => $doc,)* }
            }

            /// Encoded size of the instruction in bytes.
            pub fn encoded_len(self) -> usize {
                1 + self.operands().iter().map(|(_, role)| role.width()).sum::<usize>()
            }
        }

        impl Op {
            /// The instruction's opcode.
            pub fn opcode(&self) -> OpCode {
                match self { $(Op::$name { .. } => OpCode::$name,)* }
            }

            /// Appends the encoding of the instruction to `out`.
            pub fn encode(&self, out: &mut Vec<u8>) {
                match *self {
                    $(Op::$name { $($field),* } => {
                        out.push($code);
                        $( Operand::encode($field, out); )*
                    })*
                }
            }

            /// Decodes the instruction at byte offset `pc` of `code`.
            /// Returns the instruction and the offset just past it.
            pub fn decode(code: &[u8], pc: usize) -> Result<(Op, usize), DecodeOpError> {
                let mut r = Reader::new(code, pc);
                let byte = r.u8().ok_or(DecodeOpError::Truncated)?;
                let op = match byte {
                    $($code => Op::$name {
                        $($field: <role_ty!($role) as Operand>::decode(&mut r)
                            .ok_or(DecodeOpError::Truncated)?,)*
                    },)*
                    other => return Err(DecodeOpError::UnknownOpcode(other)),
                };
                Ok((op, r.pos()))
            }

            /// Calls `f` with the role and value of each operand, in order.
            pub fn for_each_operand(&self, mut f: impl FnMut(Role, OperandValue)) {
                match *self {
                    $(Op::$name { $($field),* } => {
                        $( f(Role::$role, Operand::value($field)); )*
                    })*
                }
                #[allow(unreachable_code)]
                let _ = &mut f;
            }

            /// Calls `f` on each jump target of the instruction.
            pub fn for_each_target_mut(&mut self, f: &mut dyn FnMut(&mut Target)) {
                match self {
                    $(Op::$name { $($field),* } => {
                        $( Operand::visit_target($field, f); )*
                    })*
                }
            }
        }
    };
}

for_each_op!(define_isa);

/// Why an instruction could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeOpError {
    /// The byte is not an opcode of the table.
    UnknownOpcode(u8),
    /// The operands run past the end of the code.
    Truncated,
}

impl Op {
    /// Whether execution can continue with the next instruction.
    pub fn falls_through(&self) -> bool {
        !matches!(
            self,
            Op::Jump { .. } | Op::Return { .. } | Op::ReturnUndef {}
        )
    }

    /// The jump target of the instruction, if it has one.
    pub fn target(&self) -> Option<Target> {
        match *self {
            Op::Jump { target }
            | Op::JumpIfTrue { target, .. }
            | Op::JumpIfFalse { target, .. }
            | Op::JumpIfUndef { target, .. }
            | Op::JumpIfNotUndef { target, .. } => Some(target),
            Op::IterNext { done, .. } => Some(done),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_stays_small() {
        // The interpreter dispatches on `Op` directly; keep it at most 16 bytes.
        assert!(
            std::mem::size_of::<Op>() <= 16,
            "Op is {} bytes",
            std::mem::size_of::<Op>()
        );
    }

    #[test]
    fn opcodes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &code in OpCode::ALL {
            assert!(
                seen.insert(code as u8),
                "duplicate opcode {:#x}",
                code as u8
            );
            assert_eq!(OpCode::from_byte(code as u8), Some(code));
        }
    }

    #[test]
    fn encode_then_decode_is_identity() {
        let ops = [
            Op::Nop {},
            Op::LoadInt {
                dst: Reg(3),
                value: -7,
            },
            Op::Add {
                dst: Reg(1),
                a: Reg(2),
                b: Reg(65535),
            },
            Op::Call {
                dst: Reg(0),
                callee: Reg(1),
                args: RegRange { start: 2, count: 3 },
            },
            Op::IterNext {
                dst: Reg(4),
                iter: Reg(5),
                done: Target(40),
            },
            Op::CallMethod {
                dst: Reg(0),
                obj: Reg(1),
                key: AtomIdx(9),
                args: RegRange { start: 2, count: 0 },
            },
        ];
        let mut bytes = Vec::new();
        for op in &ops {
            let before = bytes.len();
            op.encode(&mut bytes);
            assert_eq!(bytes.len() - before, op.opcode().encoded_len());
        }
        let mut pc = 0;
        for op in &ops {
            let (decoded, next) = Op::decode(&bytes, pc).unwrap();
            assert_eq!(&decoded, op);
            pc = next;
        }
        assert_eq!(pc, bytes.len());
    }

    #[test]
    fn truncated_and_unknown_are_errors() {
        assert_eq!(
            Op::decode(&[0xFF], 0),
            Err(DecodeOpError::UnknownOpcode(0xFF))
        );
        assert_eq!(Op::decode(&[0x04, 1, 0], 0), Err(DecodeOpError::Truncated));
        assert_eq!(Op::decode(&[], 0), Err(DecodeOpError::Truncated));
    }
}
