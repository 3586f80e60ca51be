use bumpalo::Bump;
use zigts_compiler::front::{diag::FileId, parse};
#[test]
fn depth_probe() {
    let d: usize = std::env::var("D").unwrap().parse().unwrap();
    let which = std::env::var("W").unwrap();
    let text = match which.as_str() {
        "paren" => format!("x = {}1{};", "(".repeat(d), ")".repeat(d)),
        "array" => format!("x = {}1{};", "[".repeat(d), "]".repeat(d)),
        "object" => format!("x = {}1{};", "{a:".repeat(d), "}".repeat(d)),
        "call" => format!("x = {}1{};", "f(".repeat(d), ")".repeat(d)),
        "neg" => format!("x = {}1;", "- ".repeat(d)),
        "block" => format!("{}{}", "{".repeat(d), "}".repeat(d)),
        "if" => format!("{}x;", "if (a) ".repeat(d)),
        "types" => format!("type T = {}number{};", "Array<".repeat(d), ">".repeat(d)),
        "arrows" => "(a) => ".repeat(d) + "1",
        "jsx" => format!("x = {}{};", "<a>".repeat(d), "</a>".repeat(d)),
        "pats" => format!("const {}a{} = 1;", "[".repeat(d), "]".repeat(d)),
        "tmpl" => format!("x = {}1{};", "`${".repeat(d), "}`".repeat(d)),
        "cond" => format!("x = {}1;", "a ? b : ".repeat(d)),
        "assign" => format!("{}1;", "a = ".repeat(d)),
        "fn" => format!("{}{}", "function f() {".repeat(d), "}".repeat(d)),
        "match" => format!("x = {}1{};", "match (a) { default: ".repeat(d), "}".repeat(d)),
        "objtype" => format!("type T = {}number{};", "{a:".repeat(d), "}".repeat(d)),
        _ => panic!(),
    };
    let jsx = which == "jsx";
    let kb: usize = std::env::var("KB").unwrap().parse().unwrap();
    let h = std::thread::Builder::new().stack_size(kb * 1024).spawn(move || {
        let arena = Bump::new(); let r = parse(&arena, FileId(0), &text, jsx);
        r.diagnostics.first().map(|d| d.message.clone())
    }).unwrap();
    eprintln!("RESULT {which}: {:?}", h.join().ok());
}
