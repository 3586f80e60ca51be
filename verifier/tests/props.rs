//! Properties: decoding and verifying any byte string never panics, and
//! neither does any single-byte change to a valid bundle (resealed or not).

use proptest::prelude::*;
use zigts_verifier::bundle::{Bundle, decode, encode, seal};
use zigts_verifier::{Limits, verify};

fn sample() -> Vec<u8> {
    use zigts_verifier::{Constant, Function, Op, Reg};
    let mut code = Vec::new();
    for op in [
        Op::LoadInt {
            dst: Reg(0),
            value: 7,
        },
        Op::LoadStr {
            dst: Reg(1),
            k: zigts_verifier::ConstIdx(0),
        },
        Op::Add {
            dst: Reg(0),
            a: Reg(0),
            b: Reg(1),
        },
        Op::Return { src: Reg(0) },
    ] {
        op.encode(&mut code);
    }
    let b = Bundle {
        atoms: vec!["a".into()],
        constants: vec![Constant::String("s".into())],
        functions: vec![Function { name: "m".into(), parent: None, param_count: 0, has_rest: false, reg_count: 2, captures: vec![], code }],
        contract: br#"{"version":1,"capabilities":[],"capabilityHash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}"#.to_vec(),
        ..Bundle::default()
    };
    encode(&b)
}

#[test]
fn the_sample_verifies() {
    verify(&sample(), &Limits::default(), &[]).expect("sample bundle verifies");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode(&bytes, &Limits::default());
        let _ = verify(&bytes, &Limits::default(), &[]);
        // With a valid hash the structural decoder is reached too.
        let mut sealed = bytes.clone();
        seal(&mut sealed);
        let _ = verify(&sealed, &Limits::default(), &[]);
        let mut framed = b"ZBC\0\x01\x00".to_vec();
        framed.extend_from_slice(&bytes);
        seal(&mut framed);
        let _ = verify(&framed, &Limits::default(), &[]);
    }

    #[test]
    fn single_byte_mutations_never_panic(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let valid = sample();
        let body_len = valid.len() - 32;
        let mut m = valid[..body_len].to_vec();
        let i = pos.index(body_len);
        m[i] = byte;
        seal(&mut m);
        let _ = verify(&m, &Limits::default(), &[]);
    }
}
