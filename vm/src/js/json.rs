//! JSON: `JSON.stringify` quoting and a strict `JSON.parse`.
//!
//! The parser follows the JSON grammar that `JSON.parse` accepts
//! (ECMA-262 §25.5.1, which is ECMA-404): whitespace is only space, tab, LF
//! and CR; no comments, no trailing commas, no leading `+`, `.5`, `01`,
//! `NaN` or single quotes; strings may not contain raw control characters.
//! It is iterative (an explicit stack bounded by `max_depth`), so hostile
//! nesting is an error, never a stack overflow, and it builds values through
//! a [`JsonSink`] so the VM can allocate straight into its arena.

use super::TextBuf;
use super::number::write_number;

/// `JSON.stringify` string quoting: ECMA-262 §25.5.2.3 `QuoteJSONString`.
///
/// Appends `s` to `out` (a `String` or an arena string) in double quotes, escaping `"` and `\` and the control
/// characters below U+0020 (`\b \f \n \r \t` by name, the rest as `\u00xx`
/// with lowercase hex). Everything else, including U+007F, U+2028/U+2029
/// and all non-ASCII text, is copied verbatim. (Lone surrogates, which JS
/// would escape as `\udxxx`, cannot occur in a Rust string.)
pub fn write_json_string(s: &str, out: &mut impl TextBuf) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let named = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0C => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1F => "",
            _ => continue,
        };
        // `i` is an ASCII byte, so both ends of the run are char boundaries.
        out.push_str(s.get(run_start..i).unwrap_or(""));
        run_start = i + 1;
        if named.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        } else {
            out.push_str(named);
        }
    }
    out.push_str(s.get(run_start..).unwrap_or(""));
    out.push('"');
}

/// `JSON.stringify` of a number: ECMA-262 §25.5.2.2 `SerializeJSONProperty`
/// step 9 — finite numbers as `String(n)` (so `-0` is `0`, `1e21` is
/// `1e+21`), `NaN` and the infinities as `null`.
pub fn write_json_number(n: f64, out: &mut impl TextBuf) {
    if n.is_finite() {
        write_number(n, out);
    } else {
        out.push_str("null");
    }
}

/// Receives the values of a JSON text as they are parsed, bottom-up.
///
/// Arrays and objects are opened, filled and closed in document order;
/// `end_array`/`end_object` turn the builder into a value that is then
/// pushed or inserted into its parent (or returned, at the top level).
pub trait JsonSink {
    type Value;
    type Array;
    type Object;
    fn null(&mut self) -> Self::Value;
    fn boolean(&mut self, b: bool) -> Self::Value;
    fn number(&mut self, n: f64) -> Self::Value;
    /// A string value. Borrowed from the input when it had no escapes,
    /// otherwise from a scratch buffer: copy it if you keep it.
    fn string(&mut self, s: &str) -> Self::Value;
    fn begin_array(&mut self) -> Self::Array;
    fn push(&mut self, array: &mut Self::Array, v: Self::Value);
    fn end_array(&mut self, array: Self::Array) -> Self::Value;
    fn begin_object(&mut self) -> Self::Object;
    /// Later duplicate keys overwrite earlier ones, as in JSON.parse.
    fn insert(&mut self, object: &mut Self::Object, key: &str, v: Self::Value);
    fn end_object(&mut self, object: Self::Object) -> Self::Value;
}

/// A JSON syntax error: the byte offset in the input where parsing failed
/// and a short description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub message: &'static str,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// `JSON.parse(text)` without a reviver: ECMA-262 §25.5.1.
///
/// Parses exactly one JSON value surrounded by optional JSON whitespace and
/// feeds it to `sink`. Numbers are the correctly rounded double of the
/// lexeme (as in JS; `-0` stays `-0`, `1e400` is `Infinity`). Strings
/// support every escape; `\uD83D\uDE00` pairs combine into one character and
/// an unpaired surrogate escape becomes U+FFFD. Unescaped string values and
/// keys are passed to the sink as slices of `text`. More than `max_depth`
/// nested arrays/objects is an error (`max_depth == 0` allows only
/// scalars).
pub fn parse_json<S: JsonSink>(
    text: &str,
    sink: &mut S,
    max_depth: usize,
) -> Result<S::Value, JsonError> {
    Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        scratch: String::new(),
        keys: String::new(),
    }
    .run(sink, max_depth)
}

/// Where a decoded string lives.
#[derive(Debug, Clone, Copy)]
enum Loc {
    /// `text[start..end]` (no escapes).
    Input(usize, usize),
    /// `scratch` (a value with escapes).
    Scratch,
    /// `keys[start..end]` (a key with escapes; popped when its value is done).
    Keys(usize, usize),
}

enum Frame<A, O> {
    Array(A),
    /// An object and the key whose value is being parsed.
    Object(O, Loc),
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Decoded escaped string values (reused).
    scratch: String,
    /// A stack of decoded escaped keys, one per open object at most.
    keys: String,
}

fn err<T>(offset: usize, message: &'static str) -> Result<T, JsonError> {
    Err(JsonError { offset, message })
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn unexpected<T>(&self) -> Result<T, JsonError> {
        if self.pos >= self.bytes.len() {
            err(self.pos, "unexpected end of JSON input")
        } else {
            err(self.pos, "unexpected character in JSON")
        }
    }

    fn resolve<'a>(text: &'a str, scratch: &'a str, keys: &'a str, loc: Loc) -> &'a str {
        match loc {
            Loc::Input(a, b) => text.get(a..b).unwrap_or(""),
            Loc::Scratch => scratch,
            Loc::Keys(a, b) => keys.get(a..b).unwrap_or(""),
        }
    }

    /// Parses an object key (the cursor is at whitespace before it) and the
    /// colon after it.
    fn key(&mut self) -> Result<Loc, JsonError> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return if self.pos >= self.bytes.len() {
                self.unexpected()
            } else {
                err(self.pos, "expected string key in JSON object")
            };
        }
        let loc = self.string(true)?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return if self.pos >= self.bytes.len() {
                self.unexpected()
            } else {
                err(self.pos, "expected ':' after key in JSON object")
            };
        }
        self.pos += 1;
        Ok(loc)
    }

    fn run<S: JsonSink>(mut self, sink: &mut S, max_depth: usize) -> Result<S::Value, JsonError> {
        // Inline for ordinary nesting, so parsing a typical body allocates nothing.
        let mut stack: smallvec::SmallVec<[Frame<S::Array, S::Object>; 16]> =
            smallvec::SmallVec::new();
        'value: loop {
            self.skip_ws();
            let mut value = match self.peek() {
                Some(b'{') => {
                    if stack.len() >= max_depth {
                        return err(self.pos, "JSON nested too deeply");
                    }
                    self.pos += 1;
                    let object = sink.begin_object();
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        sink.end_object(object)
                    } else {
                        let key = self.key()?;
                        stack.push(Frame::Object(object, key));
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    if stack.len() >= max_depth {
                        return err(self.pos, "JSON nested too deeply");
                    }
                    self.pos += 1;
                    let array = sink.begin_array();
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        sink.end_array(array)
                    } else {
                        stack.push(Frame::Array(array));
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let loc = self.string(false)?;
                    sink.string(Self::resolve(self.text, &self.scratch, &self.keys, loc))
                }
                Some(b't') => {
                    self.literal(b"true")?;
                    sink.boolean(true)
                }
                Some(b'f') => {
                    self.literal(b"false")?;
                    sink.boolean(false)
                }
                Some(b'n') => {
                    self.literal(b"null")?;
                    sink.null()
                }
                Some(b'-' | b'0'..=b'9') => {
                    let n = self.number()?;
                    sink.number(n)
                }
                _ => return self.unexpected(),
            };
            // Hand the finished value to its parent, closing every container
            // that ends right after it.
            loop {
                match stack.last_mut() {
                    None => {
                        self.skip_ws();
                        if self.pos < self.bytes.len() {
                            return err(self.pos, "unexpected data after JSON value");
                        }
                        return Ok(value);
                    }
                    Some(Frame::Array(array)) => {
                        sink.push(array, value);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let Some(Frame::Array(array)) = stack.pop() else {
                                    return err(self.pos, "internal JSON parser error");
                                };
                                value = sink.end_array(array);
                            }
                            None => return self.unexpected(),
                            Some(_) => return err(self.pos, "expected ',' or ']' in JSON array"),
                        }
                    }
                    Some(Frame::Object(object, key)) => {
                        let key_loc = *key;
                        sink.insert(
                            object,
                            Self::resolve(self.text, &self.scratch, &self.keys, key_loc),
                            value,
                        );
                        if let Loc::Keys(start, _) = key_loc {
                            self.keys.truncate(start);
                        }
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                *key = self.key()?;
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let Some(Frame::Object(object, _)) = stack.pop() else {
                                    return err(self.pos, "internal JSON parser error");
                                };
                                value = sink.end_object(object);
                            }
                            None => return self.unexpected(),
                            Some(_) => return err(self.pos, "expected ',' or '}' in JSON object"),
                        }
                    }
                }
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            return Ok(());
        }
        // Report the first byte that differs.
        let matching = self
            .bytes
            .get(self.pos..)
            .unwrap_or(&[])
            .iter()
            .zip(word)
            .take_while(|(a, b)| a == b)
            .count();
        self.pos += matching;
        self.unexpected()
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<f64, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return err(self.pos, "bad number in JSON"),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return err(self.pos, "bad number in JSON");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return err(self.pos, "bad number in JSON");
            }
        }
        self.text
            .get(start..self.pos)
            .and_then(|lexeme| lexeme.parse::<f64>().ok())
            .map_or_else(|| err(start, "bad number in JSON"), Ok)
    }

    /// Parses a string starting at the opening quote. Escaped keys are
    /// appended to `keys`, escaped values replace `scratch`.
    fn string(&mut self, is_key: bool) -> Result<Loc, JsonError> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Loc::Input(start, self.pos - 1));
                }
                Some(b'\\') => break,
                Some(0x00..=0x1F) => return err(self.pos, "bad control character in JSON string"),
                Some(_) => self.pos += 1,
                None => return err(self.pos, "unterminated string in JSON"),
            }
        }
        // Slow path: decode escapes into the right buffer.
        let prefix = self.text.get(start..self.pos).unwrap_or("");
        if is_key {
            let key_start = self.keys.len();
            self.keys.push_str(prefix);
            let mut keys = std::mem::take(&mut self.keys);
            let result = self.decode_rest(&mut keys);
            self.keys = keys;
            result?;
            Ok(Loc::Keys(key_start, self.keys.len()))
        } else {
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            scratch.push_str(prefix);
            let result = self.decode_rest(&mut scratch);
            self.scratch = scratch;
            result?;
            Ok(Loc::Scratch)
        }
    }

    /// Decodes from the cursor (inside a string) up to and including the
    /// closing quote, appending to `out`.
    fn decode_rest(&mut self, out: &mut String) -> Result<(), JsonError> {
        let mut run_start = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
                    self.escape(out)?;
                    run_start = self.pos;
                }
                Some(0x00..=0x1F) => return err(self.pos, "bad control character in JSON string"),
                Some(_) => self.pos += 1,
                None => return err(self.pos, "unterminated string in JSON"),
            }
        }
    }

    /// Decodes one escape sequence at the cursor (which is at the `\`).
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{C}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                let c = match unit {
                    0xD800..=0xDBFF => {
                        // Combine with a following \uDC00..\uDFFF escape.
                        let low = self.peek_low_surrogate_escape();
                        if let Some(low) = low {
                            self.pos += 6;
                            let code = 0x10000
                                + ((u32::from(unit) - 0xD800) << 10)
                                + (u32::from(low) - 0xDC00);
                            char::from_u32(code).unwrap_or(super::string::REPLACEMENT)
                        } else {
                            super::string::REPLACEMENT
                        }
                    }
                    _ => char::from_u32(u32::from(unit)).unwrap_or(super::string::REPLACEMENT),
                };
                out.push(c);
                return Ok(());
            }
            None => return err(self.pos, "unterminated string in JSON"),
            Some(_) => return err(at, "bad escape in JSON string"),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    /// Reads four hex digits at the cursor.
    fn hex4(&mut self) -> Result<u16, JsonError> {
        let mut v: u16 = 0;
        for _ in 0..4 {
            let Some(d) = self.peek().and_then(|b| char::from(b).to_digit(16)) else {
                return if self.pos >= self.bytes.len() {
                    err(self.pos, "unterminated string in JSON")
                } else {
                    err(self.pos, "bad \\u escape in JSON string")
                };
            };
            v = (v << 4) | d as u16;
            self.pos += 1;
        }
        Ok(v)
    }

    /// If the cursor is at `\uDC00`..`\uDFFF`, its value (cursor unchanged).
    fn peek_low_surrogate_escape(&self) -> Option<u16> {
        let six = self.bytes.get(self.pos..self.pos + 6)?;
        if six.first() != Some(&b'\\') || six.get(1) != Some(&b'u') {
            return None;
        }
        let mut v: u16 = 0;
        for &b in six.get(2..)? {
            v = (v << 4) | char::from(b).to_digit(16)? as u16;
        }
        (0xDC00..=0xDFFF).contains(&v).then_some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that re-serialises what it receives, for compact assertions.
    struct Echo;

    impl JsonSink for Echo {
        type Value = String;
        type Array = Vec<String>;
        type Object = Vec<(String, String)>;
        fn null(&mut self) -> String {
            "null".into()
        }
        fn boolean(&mut self, b: bool) -> String {
            b.to_string()
        }
        fn number(&mut self, n: f64) -> String {
            let mut s = String::new();
            write_json_number(n, &mut s);
            s
        }
        fn string(&mut self, s: &str) -> String {
            let mut out = String::new();
            write_json_string(s, &mut out);
            out
        }
        fn begin_array(&mut self) -> Vec<String> {
            Vec::new()
        }
        fn push(&mut self, array: &mut Vec<String>, v: String) {
            array.push(v);
        }
        fn end_array(&mut self, array: Vec<String>) -> String {
            format!("[{}]", array.join(","))
        }
        fn begin_object(&mut self) -> Vec<(String, String)> {
            Vec::new()
        }
        fn insert(&mut self, object: &mut Vec<(String, String)>, key: &str, v: String) {
            if let Some(slot) = object.iter_mut().find(|(k, _)| k == key) {
                slot.1 = v;
            } else {
                object.push((key.to_owned(), v));
            }
        }
        fn end_object(&mut self, object: Vec<(String, String)>) -> String {
            let parts: Vec<String> = object
                .into_iter()
                .map(|(k, v)| {
                    let mut s = String::new();
                    write_json_string(&k, &mut s);
                    format!("{s}:{v}")
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
    }

    fn echo(text: &str) -> Result<String, JsonError> {
        parse_json(text, &mut Echo, 64)
    }

    #[test]
    fn quoting() {
        let mut out = String::new();
        write_json_string(
            "say \"hi\"\n\t\\ \u{1}\u{1f}\u{7f} héllo 😀 a/b\r\u{8}\u{c}",
            &mut out,
        );
        assert_eq!(
            out,
            "\"say \\\"hi\\\"\\n\\t\\\\ \\u0001\\u001f\u{7f} h\u{e9}llo \u{1f600} a/b\\r\\b\\f\""
        );
    }

    #[test]
    fn parses_documents() {
        assert_eq!(
            echo(r#" {"a":1,"b":[true,null,"s"],"c":{"d":null},"e":1.5e2,"f":"\u00e9\n"} "#)
                .as_deref(),
            Ok(r#"{"a":1,"b":[true,null,"s"],"c":{"d":null},"e":150,"f":"é\n"}"#)
        );
        assert_eq!(echo("42").as_deref(), Ok("42"));
        assert_eq!(echo("[1, 2, 3]").as_deref(), Ok("[1,2,3]"));
        assert_eq!(echo(r#"{"a":1,"a":2}"#).as_deref(), Ok(r#"{"a":2}"#));
        assert_eq!(echo(r#""\ud83d\ude00""#).as_deref(), Ok("\"😀\""));
        assert_eq!(
            echo(r#""\ud800x\udc00""#).as_deref(),
            Ok("\"\u{FFFD}x\u{FFFD}\"")
        );
        assert_eq!(
            echo(r#"{"\u0041\"":{"\n":[]}}"#).as_deref(),
            Ok(r#"{"A\"":{"\n":[]}}"#)
        );
        assert_eq!(echo("-0").as_deref(), Ok("0"));
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "",
            "{oops",
            "[1,]",
            "nope",
            "{",
            "[",
            "01",
            "1.",
            ".5",
            "+1",
            "-",
            "1e",
            "\"\t\"",
            "'a'",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "NaN",
            "\u{feff}1",
            "1 2",
            "\"\\x\"",
            "\"\\u12\"",
            "tru",
            "nul",
        ] {
            assert!(echo(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            echo("[1,]"),
            Err(JsonError {
                offset: 3,
                message: "unexpected character in JSON"
            })
        );
    }

    #[test]
    fn depth_limit() {
        assert!(parse_json("[[[]]]", &mut Echo, 3).is_ok());
        assert!(parse_json("[[[]]]", &mut Echo, 2).is_err());
        assert!(parse_json("1", &mut Echo, 0).is_ok());
        assert!(parse_json("{}", &mut Echo, 0).is_err());
        let deep = "[".repeat(1_000_000);
        assert!(parse_json(&deep, &mut Echo, usize::MAX).is_err());
    }
}
