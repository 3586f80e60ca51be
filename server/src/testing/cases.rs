//! The `.test.jsonl` format: one JSON record per line, `type` one of
//! `test`, `request`, `io`, `expect`.

use serde_json::Value;

/// The request of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// `None` is no body (JSON `null` or absent).
    pub body: Option<String>,
}

/// A stubbed module call.
#[derive(Clone, Debug, PartialEq)]
pub struct IoRecord {
    pub module: String,
    pub func: String,
    pub args: Vec<Value>,
    /// `None` means undefined.
    pub result: Option<Value>,
}

/// One `expect` record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expect {
    pub status: Option<u16>,
    pub body: Option<String>,
    pub body_contains: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// One test case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub name: String,
    pub request: Option<TestRequest>,
    pub io: Vec<IoRecord>,
    pub expects: Vec<Expect>,
}

fn string_map(v: Option<&Value>, what: &str, line: usize) -> Result<Vec<(String, String)>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(format!("line {line}: {what} values must be strings")),
            })
            .collect(),
        Some(_) => Err(format!("line {line}: {what} must be an object of strings")),
    }
}

fn opt_string(v: Option<&Value>, field: &str, line: usize) -> Result<Option<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("line {line}: '{field}' must be a string")),
    }
}

/// Parses a `.test.jsonl` text into cases. Blank lines are ignored; any other
/// malformed line is an error naming the line.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(raw).map_err(|e| format!("line {line}: invalid JSON: {e}"))?;
        let Some(obj) = v.as_object() else {
            return Err(format!("line {line}: each line must be a JSON object"));
        };
        let kind = obj
            .get("type")
            .and_then(Value::as_str)
            .ok_or(format!("line {line}: missing string field 'type'"))?;
        if kind != "test" && cases.is_empty() {
            return Err(format!(
                "line {line}: a '{kind}' record before any 'test' record"
            ));
        }
        match kind {
            "test" => cases.push(Case {
                name: obj
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("unnamed")
                    .to_string(),
                request: None,
                io: Vec::new(),
                expects: Vec::new(),
            }),
            "request" => {
                let req = TestRequest {
                    method: opt_string(obj.get("method"), "method", line)?
                        .unwrap_or_else(|| "GET".into()),
                    url: opt_string(obj.get("url"), "url", line)?.unwrap_or_else(|| "/".into()),
                    headers: string_map(obj.get("headers"), "headers", line)?,
                    body: opt_string(obj.get("body"), "body", line)?,
                };
                if let Some(c) = cases.last_mut() {
                    c.request = Some(req);
                }
            }
            "io" => {
                let rec = IoRecord {
                    module: opt_string(obj.get("module"), "module", line)?.unwrap_or_default(),
                    func: opt_string(obj.get("fn"), "fn", line)?.unwrap_or_default(),
                    args: obj
                        .get("args")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                    result: obj.get("result").filter(|r| !r.is_null()).cloned(),
                };
                if let Some(c) = cases.last_mut() {
                    c.io.push(rec);
                }
            }
            "expect" => {
                let status = match obj.get("status") {
                    None | Some(Value::Null) => None,
                    Some(Value::Number(n)) => Some(
                        n.as_u64()
                            .and_then(|s| u16::try_from(s).ok())
                            .ok_or(format!(
                                "line {line}: 'status' must be an integer status code"
                            ))?,
                    ),
                    Some(_) => return Err(format!("line {line}: 'status' must be a number")),
                };
                let e = Expect {
                    status,
                    body: opt_string(obj.get("body"), "body", line)?,
                    body_contains: opt_string(obj.get("bodyContains"), "bodyContains", line)?,
                    headers: string_map(obj.get("headers"), "headers", line)?,
                };
                if let Some(c) = cases.last_mut() {
                    c.expects.push(e);
                }
            }
            other => return Err(format!("line {line}: unknown record type '{other}'")),
        }
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_record_kinds() {
        let text = r#"{"type":"test","name":"a"}
{"type":"request","method":"POST","url":"/x?y=1","headers":{"X-A":"b"},"body":"hi"}
{"type":"io","module":"env","fn":"env","args":["K"],"result":null}

{"type":"expect","status":201,"body":"ok","headers":{"content-type":"text/plain"}}
"#;
        let cases = parse_cases(text).unwrap();
        assert_eq!(cases.len(), 1);
        let c = &cases[0];
        assert_eq!(c.request.as_ref().unwrap().method, "POST");
        assert_eq!(c.request.as_ref().unwrap().body.as_deref(), Some("hi"));
        assert_eq!(c.io[0].result, None);
        assert_eq!(c.expects[0].status, Some(201));
    }

    #[test]
    fn malformed_lines_are_errors_with_line_numbers() {
        assert!(
            parse_cases("{\"type\":\"test\"}\nnot json")
                .unwrap_err()
                .starts_with("line 2")
        );
        assert!(
            parse_cases("{\"type\":\"bogus\"}")
                .unwrap_err()
                .contains("before any 'test'")
        );
        assert!(
            parse_cases("{\"type\":\"test\"}\n{\"type\":\"bogus\"}")
                .unwrap_err()
                .contains("unknown record type")
        );
        assert!(parse_cases("[1]").unwrap_err().contains("JSON object"));
    }
}
