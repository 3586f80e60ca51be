//! One test per verifier rule: build a small valid bundle, break exactly
//! what the rule guards, and assert the exact rejection kind.

use zigts_verifier::bundle::{Export, Import, ModuleInfo, encode};
use zigts_verifier::modules::{Effect, ExportDecl, ModuleDecl, ReturnKind};
use zigts_verifier::{
    AtomIdx, BuiltinIdx, Bundle, Capability, Capture, ConstIdx, Constant, Contract, FuncIdx,
    Function, GlobalIdx, ImportIdx, Limits, Op, Reg, RegRange, Target, UpvalIdx, capability_hash,
    verify,
};

const TEST_MODULES: &[ModuleDecl] = &[ModuleDecl {
    specifier: "zigttp:test",
    exports: &[ExportDecl {
        name: "ping",
        arity: 1,
        effect: Effect::Read,
        returns: ReturnKind::String,
    }],
    capabilities: &[Capability::Clock],
}];

/// Encodes ops whose jump targets are *instruction indices* (resolved to byte offsets here).
fn assemble(ops: &[Op]) -> Vec<u8> {
    let mut pcs = Vec::new();
    let mut pc = 0u32;
    for op in ops {
        pcs.push(pc);
        pc += op.opcode().encoded_len() as u32;
    }
    pcs.push(pc);
    let mut code = Vec::new();
    for op in ops {
        let mut op = *op;
        op.for_each_target_mut(&mut |t: &mut Target| t.0 = pcs[t.0 as usize]);
        op.encode(&mut code);
    }
    code
}

fn func(name: &str, parent: Option<u32>, params: u16, regs: u16, ops: &[Op]) -> Function {
    Function {
        name: name.into(),
        parent,
        param_count: params,
        has_rest: false,
        reg_count: regs,
        captures: Vec::new(),
        code: assemble(ops),
    }
}

fn contract(caps: &[Capability]) -> Vec<u8> {
    let c = Contract {
        version: 1,
        capabilities: caps.to_vec(),
        capability_hash: capability_hash(caps),
        ..Contract::default()
    };
    serde_json::to_vec(&c).unwrap()
}

/// A valid bundle: the initializer stores a closure of `f1` (which adds
/// its argument to a constant) in global 0.
fn valid() -> Bundle {
    Bundle {
        atoms: vec!["x".into()],
        constants: vec![Constant::Number(1.5), Constant::String("hi".into())],
        functions: vec![
            func(
                "<module>",
                None,
                0,
                1,
                &[
                    Op::MakeClosure {
                        dst: Reg(0),
                        f: FuncIdx(1),
                    },
                    Op::StoreGlobal {
                        g: GlobalIdx(0),
                        src: Reg(0),
                    },
                    Op::ReturnUndef {},
                ],
            ),
            func(
                "add",
                Some(0),
                1,
                3,
                &[
                    Op::LoadNum {
                        dst: Reg(1),
                        k: ConstIdx(0),
                    },
                    Op::JumpIfFalse {
                        cond: Reg(0),
                        target: Target(3),
                    },
                    Op::Add {
                        dst: Reg(1),
                        a: Reg(0),
                        b: Reg(1),
                    },
                    Op::Return { src: Reg(1) },
                ],
            ),
        ],
        imports: Vec::new(),
        module: ModuleInfo {
            globals: vec!["handler".into()],
            exports: vec![Export {
                name: "handler".into(),
                global: 0,
            }],
        },
        contract: contract(&[]),
        source_map: zigts_verifier::bundle::SourceMap::default(),
    }
}

fn kind_of(b: &Bundle) -> Result<(), String> {
    verify(&encode(b), &Limits::default(), TEST_MODULES)
        .map(|_| ())
        .map_err(|e| e.kind.code().to_string())
}

fn rejects(b: &Bundle, code: &str) {
    assert_eq!(kind_of(b), Err(code.to_string()));
}

fn with_f1(ops: &[Op], regs: u16) -> Bundle {
    let mut b = valid();
    b.functions[1] = func("add", Some(0), 1, regs, ops);
    b
}

#[test]
fn the_valid_bundle_verifies() {
    assert_eq!(kind_of(&valid()), Ok(()));
}

#[test]
fn decode_errors_come_first() {
    let mut bytes = encode(&valid());
    bytes[12] ^= 1;
    let e = verify(&bytes, &Limits::default(), TEST_MODULES).unwrap_err();
    assert_eq!(e.kind.code(), "DECODE");
    assert!(e.to_string().contains("hash mismatch"));
    assert!(verify(&[], &Limits::default(), TEST_MODULES).is_err());
    assert!(verify(b"ZBC\0garbage", &Limits::default(), TEST_MODULES).is_err());
}

#[test]
fn unknown_opcode() {
    let mut b = valid();
    b.functions[1].code[0] = 0xEE;
    rejects(&b, "UNKNOWN_OPCODE");
}

#[test]
fn truncated_instruction() {
    let mut b = valid();
    b.functions[1].code.pop();
    rejects(&b, "TRUNCATED_INSTRUCTION");
}

#[test]
fn falls_off_end() {
    rejects(
        &with_f1(&[Op::LoadUndef { dst: Reg(0) }], 1),
        "FALLS_OFF_END",
    );
    let mut b = valid();
    b.functions[1].code.clear();
    rejects(&b, "FALLS_OFF_END");
}

#[test]
fn register_out_of_bounds() {
    rejects(
        &with_f1(&[Op::Return { src: Reg(3) }], 3),
        "REGISTER_OUT_OF_BOUNDS",
    );
    rejects(
        &with_f1(
            &[
                Op::Concat {
                    dst: Reg(0),
                    parts: RegRange { start: 1, count: 3 },
                },
                Op::Return { src: Reg(0) },
            ],
            3,
        ),
        "REGISTER_OUT_OF_BOUNDS",
    );
}

#[test]
fn index_out_of_bounds_per_table() {
    let cases: [(Op, &str); 6] = [
        (
            Op::LoadNum {
                dst: Reg(0),
                k: ConstIdx(9),
            },
            "constant",
        ),
        (
            Op::GetProp {
                dst: Reg(0),
                obj: Reg(0),
                key: AtomIdx(9),
            },
            "atom",
        ),
        (
            Op::LoadGlobal {
                dst: Reg(0),
                g: GlobalIdx(9),
            },
            "module binding",
        ),
        (
            Op::LoadBuiltin {
                dst: Reg(0),
                b: BuiltinIdx(999),
            },
            "builtin",
        ),
        (
            Op::LoadImport {
                dst: Reg(0),
                i: ImportIdx(0),
            },
            "import",
        ),
        (
            Op::UpGet {
                dst: Reg(0),
                up: UpvalIdx(0),
            },
            "captured cell",
        ),
    ];
    for (op, what) in cases {
        let b = with_f1(&[op, Op::Return { src: Reg(0) }], 2);
        let e = verify(&encode(&b), &Limits::default(), TEST_MODULES).unwrap_err();
        assert_eq!(e.kind.code(), "INDEX_OUT_OF_BOUNDS", "{what}");
        assert!(e.to_string().contains(what), "{what}: {e}");
        assert_eq!((e.func, e.pc), (Some(1), Some(0)));
    }
    let b = with_f1(
        &[
            Op::MakeClosure {
                dst: Reg(0),
                f: FuncIdx(7),
            },
            Op::Return { src: Reg(0) },
        ],
        1,
    );
    rejects(&b, "INDEX_OUT_OF_BOUNDS");
}

#[test]
fn constant_kind_mismatch() {
    rejects(
        &with_f1(
            &[
                Op::LoadStr {
                    dst: Reg(0),
                    k: ConstIdx(0),
                },
                Op::Return { src: Reg(0) },
            ],
            1,
        ),
        "CONSTANT_KIND_MISMATCH",
    );
    rejects(
        &with_f1(
            &[
                Op::LoadNum {
                    dst: Reg(0),
                    k: ConstIdx(1),
                },
                Op::Return { src: Reg(0) },
            ],
            1,
        ),
        "CONSTANT_KIND_MISMATCH",
    );
}

#[test]
fn jumps_must_land_on_boundaries_inside_the_function() {
    let mut b = with_f1(&[Op::Jump { target: Target(1) }, Op::ReturnUndef {}], 1);
    // Target byte 1 is inside the 5-byte jump instruction.
    let mut raw = Vec::new();
    Op::Jump { target: Target(1) }.encode(&mut raw);
    Op::ReturnUndef {}.encode(&mut raw);
    b.functions[1].code = raw.clone();
    rejects(&b, "JUMP_NOT_ON_BOUNDARY");
    raw.clear();
    Op::Jump {
        target: Target(600),
    }
    .encode(&mut raw);
    Op::ReturnUndef {}.encode(&mut raw);
    b.functions[1].code = raw;
    rejects(&b, "JUMP_OUT_OF_BOUNDS");
}

#[test]
fn read_before_write_on_some_path() {
    // r1 is written only when the branch is not taken.
    let ops = [
        Op::JumpIfTrue {
            cond: Reg(0),
            target: Target(2),
        },
        Op::LoadInt {
            dst: Reg(1),
            value: 1,
        },
        Op::Return { src: Reg(1) },
    ];
    rejects(&with_f1(&ops, 2), "READ_BEFORE_WRITE");
    // Written on both paths: accepted.
    let ops = [
        Op::JumpIfTrue {
            cond: Reg(0),
            target: Target(3),
        },
        Op::LoadInt {
            dst: Reg(1),
            value: 1,
        },
        Op::Jump { target: Target(4) },
        Op::LoadInt {
            dst: Reg(1),
            value: 2,
        },
        Op::Return { src: Reg(1) },
    ];
    assert_eq!(kind_of(&with_f1(&ops, 2)), Ok(()));
    // iter_next writes its destination only when it continues.
    let ops = [
        Op::IterInit {
            dst: Reg(1),
            src: Reg(0),
        },
        Op::IterNext {
            dst: Reg(2),
            iter: Reg(1),
            done: Target(3),
        },
        Op::Jump { target: Target(1) },
        Op::Return { src: Reg(2) },
    ];
    rejects(&with_f1(&ops, 3), "READ_BEFORE_WRITE");
}

#[test]
fn direct_calls_check_arity_and_target() {
    let mut b = valid();
    b.functions.push(func(
        "g",
        Some(0),
        0,
        3,
        &[
            Op::LoadInt {
                dst: Reg(0),
                value: 1,
            },
            Op::LoadInt {
                dst: Reg(1),
                value: 1,
            },
            Op::CallDirect {
                dst: Reg(2),
                f: FuncIdx(1),
                args: RegRange { start: 0, count: 2 },
            },
            Op::Return { src: Reg(2) },
        ],
    ));
    rejects(&b, "ARITY_MISMATCH");
    let mut b = valid();
    b.functions.push(func(
        "g",
        Some(0),
        0,
        1,
        &[
            Op::CallDirect {
                dst: Reg(0),
                f: FuncIdx(0),
                args: RegRange { start: 0, count: 0 },
            },
            Op::Return { src: Reg(0) },
        ],
    ));
    rejects(&b, "DIRECT_CALL_TO_CLOSURE");
}

#[test]
fn closures_only_in_their_parent_with_valid_captures() {
    let mut b = valid();
    b.functions.push(func(
        "g",
        Some(0),
        0,
        1,
        &[
            Op::MakeClosure {
                dst: Reg(0),
                f: FuncIdx(1),
            },
            Op::Return { src: Reg(0) },
        ],
    ));
    rejects(&b, "CLOSURE_OUTSIDE_PARENT");
    let mut b = valid();
    b.functions[1].captures = vec![Capture::Local(Reg(5))];
    rejects(&b, "INVALID_CAPTURE");
    let mut b = valid();
    b.functions[1].captures = vec![Capture::Upval(UpvalIdx(0))];
    rejects(&b, "INVALID_CAPTURE");
    // A capture read counts as a register read in the parent.
    let mut b = valid();
    b.functions[0].reg_count = 2;
    b.functions[1].captures = vec![Capture::Local(Reg(1))];
    rejects(&b, "READ_BEFORE_WRITE");
}

#[test]
fn module_bindings_are_written_only_by_the_initializer() {
    rejects(
        &with_f1(
            &[
                Op::StoreGlobal {
                    g: GlobalIdx(0),
                    src: Reg(0),
                },
                Op::ReturnUndef {},
            ],
            1,
        ),
        "STORE_GLOBAL_OUTSIDE_INITIALIZER",
    );
}

#[test]
fn structure_rules() {
    let mut b = valid();
    b.functions[1].parent = Some(1);
    rejects(&b, "BAD_PARENT");
    let mut b = valid();
    b.functions[1].parent = None;
    rejects(&b, "BAD_PARENT");
    let mut b = valid();
    b.functions[0].parent = Some(0);
    rejects(&b, "BAD_PARENT");
    let mut b = valid();
    b.functions[1].param_count = 4;
    rejects(&b, "PARAMS_EXCEED_REGISTERS");
    let mut b = valid();
    b.functions.clear();
    rejects(&b, "NO_INITIALIZER");
    let mut b = valid();
    b.module.exports[0].global = 3;
    rejects(&b, "INDEX_OUT_OF_BOUNDS");
    let mut b = valid();
    for i in 2..70u32 {
        b.functions
            .push(func("n", Some(i - 1), 0, 1, &[Op::ReturnUndef {}]));
    }
    rejects(&b, "NESTING_TOO_DEEP");
}

#[test]
fn limits_come_from_one_struct() {
    let b = valid();
    let limits = Limits {
        max_functions: 1,
        ..Limits::default()
    };
    let e = verify(&encode(&b), &limits, TEST_MODULES).unwrap_err();
    assert_eq!(e.kind.code(), "DECODE");
    let limits = Limits {
        max_registers: 2,
        ..Limits::default()
    };
    let e = verify(&encode(&b), &limits, TEST_MODULES).unwrap_err();
    assert_eq!(e.kind.code(), "LIMIT_EXCEEDED");
}

#[test]
fn imports_and_capabilities() {
    let mut b = valid();
    b.imports = vec![Import {
        specifier: "zigttp:nope".into(),
        export: "ping".into(),
    }];
    rejects(&b, "UNKNOWN_MODULE");
    b.imports = vec![Import {
        specifier: "zigttp:test".into(),
        export: "pong".into(),
    }];
    rejects(&b, "UNKNOWN_EXPORT");
    b.imports = vec![Import {
        specifier: "zigttp:test".into(),
        export: "ping".into(),
    }];
    rejects(&b, "CAPABILITY_NOT_DECLARED");
    b.contract = contract(&[Capability::Clock]);
    assert_eq!(kind_of(&b), Ok(()));
    b.contract = b"{not json".to_vec();
    rejects(&b, "INVALID_CONTRACT");
    let mut c: Contract = serde_json::from_slice(&contract(&[Capability::Clock])).unwrap();
    c.capability_hash = "0".repeat(64);
    b.contract = serde_json::to_vec(&c).unwrap();
    rejects(&b, "CAPABILITY_HASH_MISMATCH");
}

#[test]
fn verified_jump_targets_become_instruction_indices() {
    let v = verify(&encode(&valid()), &Limits::default(), TEST_MODULES).unwrap();
    assert_eq!(
        v.functions()[1].ops[1],
        Op::JumpIfFalse {
            cond: Reg(0),
            target: Target(3)
        }
    );
}
