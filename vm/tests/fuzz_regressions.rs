//! Inputs found by the `verify` fuzz target (fuzz/regressions/verify/), and
//! the smallest bundles that show the same bug. Each run happens on its own
//! thread with a time limit, so a regression fails the test instead of
//! hanging it.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use zigts_verifier::bundle::{Export, ModuleInfo, SourceMap, encode};
use zigts_verifier::{
    Bundle, Contract, FuncIdx, Function, GlobalIdx, Limits, Op, Reg, Target, capability_hash,
    verify,
};
use zigts_vm::{ExecLimits, Instance, LoadError, QuietHost, RequestParts, TrapKind};

/// The limits of the fuzz target.
fn exec() -> ExecLimits {
    ExecLimits {
        deadline: Some(Instant::now() + Duration::from_millis(50)),
        arena_cap: 4 << 20,
        ..ExecLimits::default()
    }
}

/// Where a run stopped: the trap kind of module initialization, else of
/// the handler, else `None` (both completed).
fn stop_kind(bytes: Vec<u8>) -> Option<TrapKind> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let program = verify(&bytes, &Limits::default(), zigts_vm::modules::TABLE)
            .expect("the regression bundle verifies");
        let kind = match Instance::load(Arc::new(program), &mut QuietHost, exec()) {
            Err(LoadError::Init(trap)) => Some(trap.kind),
            Err(LoadError::Freeze(e)) => panic!("unexpected freeze error: {e}"),
            Ok(instance) => {
                let arena = bumpalo::Bump::new();
                let parts = RequestParts {
                    method: "GET",
                    target: "/x?a=1",
                    headers: &[],
                    body: None,
                };
                instance
                    .handle(&arena, &parts, &mut QuietHost, exec())
                    .err()
                    .map(|t| t.kind)
            }
        };
        let _ = tx.send(kind);
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the run did not stop at its deadline or arena cap")
}

/// Encodes ops whose jump targets are instruction indices.
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

/// A module initializer running `init` (which must leave a closure of
/// function 1 in r0 if it returns) and a handler running `handler`.
fn bundle(init: &[Op], handler: &[Op]) -> Vec<u8> {
    let mut init = init.to_vec();
    init.extend([
        Op::StoreGlobal {
            g: GlobalIdx(0),
            src: Reg(0),
        },
        Op::ReturnUndef {},
    ]);
    let contract = Contract {
        version: 1,
        capabilities: Vec::new(),
        capability_hash: capability_hash(&[]),
        ..Contract::default()
    };
    encode(&Bundle {
        atoms: Vec::new(),
        constants: Vec::new(),
        functions: vec![
            func("<module>", None, 0, 1, &init),
            func("handler", Some(0), 1, 2, handler),
        ],
        imports: Vec::new(),
        module: ModuleInfo {
            globals: vec!["handler".into()],
            exports: vec![Export {
                name: "handler".into(),
                global: 0,
            }],
        },
        contract: contract.to_json_pretty().into_bytes(),
        source_map: SourceMap::default(),
    })
}

const MAKE_HANDLER: Op = Op::MakeClosure {
    dst: Reg(0),
    f: FuncIdx(1),
};

/// fuzz/regressions/verify/oom-backward-jump-if-not-undef: the module
/// initializer starts `make_closure r0, fn1; jump_if_not_undef r0, ->0`.
/// `jump_if_not_undef` did not count against the jump budget, so the loop
/// never reached the deadline or arena-cap check and allocated closures
/// until the process ran out of memory (2 GB in libFuzzer).
#[test]
fn fuzz_verify_oom_backward_jump_if_not_undef() {
    let bytes = include_bytes!("../../fuzz/regressions/verify/oom-backward-jump-if-not-undef");
    let kind = stop_kind(bytes.to_vec());
    assert!(
        matches!(kind, Some(TrapKind::Deadline | TrapKind::ArenaCap)),
        "{kind:?}"
    );
}

#[test]
fn a_backward_jump_if_not_undef_loop_in_module_code_stops() {
    let init = [
        MAKE_HANDLER,
        Op::JumpIfNotUndef {
            src: Reg(0),
            target: Target(0),
        },
    ];
    let handler = [Op::ReturnUndef {}];
    let kind = stop_kind(bundle(&init, &handler));
    assert!(
        matches!(kind, Some(TrapKind::Deadline | TrapKind::ArenaCap)),
        "{kind:?}"
    );
}

#[test]
fn a_backward_jump_if_undef_loop_in_a_handler_stops() {
    let handler = [
        Op::LoadUndef { dst: Reg(1) },
        Op::JumpIfUndef {
            src: Reg(1),
            target: Target(0),
        },
        Op::ReturnUndef {},
    ];
    let kind = stop_kind(bundle(&[MAKE_HANDLER], &handler));
    assert_eq!(kind, Some(TrapKind::Deadline));
}
