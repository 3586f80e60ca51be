//! `cargo dist` hands server/link-order.txt to the linker (.cargo/config.toml),
//! a file cargo does not otherwise know the binary depends on: relink when it
//! changes.

fn main() {
    println!("cargo::rerun-if-changed=link-order.txt");
}
