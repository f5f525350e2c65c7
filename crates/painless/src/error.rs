//! `ScriptException`, as OpenSearch reports a Painless error
//! (upstream `server/src/main/java/org/opensearch/script/ScriptException.java`).

use crate::value::Exception;

/// Where in the source an error is: `offset` is the character the error points at, `start`..`end`
/// the span of the script stack excerpt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub offset: usize,
    pub start: usize,
    pub end: usize,
}

/// OpenSearch's `ScriptException`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{reason}: {caused_by}")]
pub struct ScriptError {
    /// "compile error" | "runtime error".
    pub reason: String,
    pub script_stack: Vec<String>,
    pub script: String,
    /// "painless".
    pub lang: String,
    pub position: Option<Position>,
    /// The Java exception underneath (class simple name and message).
    pub caused_by: Exception,
}

impl ScriptError {
    /// A compile error at `offset`: the excerpt is 25 characters either side, with ellipses,
    /// as `PainlessScriptEngine.convertToScriptException` writes it.
    pub(crate) fn compile(source: &str, offset: Option<usize>, cause: Exception) -> ScriptError {
        let (script_stack, position) = match offset {
            Some(offset) => {
                let chars: Vec<char> = source.chars().collect();
                let offset = offset.min(chars.len());
                let start = offset.saturating_sub(25);
                let end = (offset + 25).min(chars.len());
                let mut snippet = String::new();
                if start > 0 {
                    snippet.push_str("... ");
                }
                snippet.extend(&chars[start..end]);
                if end < chars.len() {
                    snippet.push_str(" ...");
                }
                let mut pointer = String::new();
                if start > 0 {
                    pointer.push_str("    ");
                }
                pointer.push_str(&" ".repeat(offset - start));
                pointer.push_str("^---- HERE");
                (
                    vec![snippet, pointer],
                    Some(utf16_position(&chars, offset, start, end)),
                )
            }
            None => (Vec::new(), None),
        };
        ScriptError::new("compile error", source, script_stack, position, cause)
    }

    /// A runtime error at `offset`: the excerpt is the statement the error is in (from its
    /// start to the start of the next statement), as upstream `PainlessScript.convertToScriptException`
    /// writes it. `statements` are the start offsets of the script's statements, sorted.
    pub(crate) fn runtime(
        source: &str,
        offset: Option<usize>,
        statements: &[usize],
        cause: Exception,
    ) -> ScriptError {
        let (script_stack, position) = match offset {
            Some(offset) => {
                let chars: Vec<char> = source.chars().collect();
                let offset = offset.min(chars.len());
                let start = statements
                    .iter()
                    .rev()
                    .find(|s| **s <= offset)
                    .copied()
                    .unwrap_or(0);
                let end = statements
                    .iter()
                    .find(|s| **s > start)
                    .copied()
                    .unwrap_or(chars.len())
                    .min(chars.len());
                let snippet: String = chars[start..end].iter().collect();
                let pointer = format!("{}^---- HERE", " ".repeat(offset - start));
                (
                    vec![snippet, pointer],
                    Some(utf16_position(&chars, offset, start, end)),
                )
            }
            None => (vec!["<<< unknown portion of script >>>".to_owned()], None),
        };
        ScriptError::new("runtime error", source, script_stack, position, cause)
    }

    fn new(
        reason: &str,
        source: &str,
        script_stack: Vec<String>,
        position: Option<Position>,
        cause: Exception,
    ) -> ScriptError {
        ScriptError {
            reason: reason.to_owned(),
            script_stack,
            script: source.to_owned(),
            lang: "painless".to_owned(),
            position,
            caused_by: cause,
        }
    }

    /// The error object as OpenSearch renders a `ScriptException`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert("type".into(), "script_exception".into());
        out.insert("reason".into(), self.reason.clone().into());
        out.insert(
            "script_stack".into(),
            serde_json::Value::Array(
                self.script_stack
                    .iter()
                    .map(|s| serde_json::Value::String(s.clone()))
                    .collect(),
            ),
        );
        out.insert("script".into(), self.script.clone().into());
        out.insert("lang".into(), self.lang.clone().into());
        if let Some(p) = self.position {
            out.insert(
                "position".into(),
                serde_json::json!({"offset": p.offset, "start": p.start, "end": p.end}),
            );
        }
        out.insert("caused_by".into(), exception_json(&self.caused_by));
        serde_json::Value::Object(out)
    }
}

/// An exception as `OpenSearchException.generateThrowableXContent` renders a Java exception:
/// `type` is the class's simple name in snake_case, `reason` its message.
pub(crate) fn exception_json(e: &Exception) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    out.insert("type".into(), snake_case(&e.class).into());
    out.insert(
        "reason".into(),
        match &e.message {
            Some(m) => m.clone().into(),
            None => serde_json::Value::Null,
        },
    );
    serde_json::Value::Object(out)
}

/// `OpenSearchException.getExceptionName`: `IllegalArgumentException` -> `illegal_argument_exception`.
pub(crate) fn snake_case(class: &str) -> String {
    let simple = class.rsplit(['.', '$']).next().unwrap_or(class);
    let mut out = String::with_capacity(simple.len() + 4);
    for (i, c) in simple.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Positions as Java counts them: in UTF-16 code units (the compiler counts characters).
fn utf16_position(chars: &[char], offset: usize, start: usize, end: usize) -> Position {
    let units = |n: usize| chars[..n].iter().map(|c| c.len_utf16()).sum::<usize>();
    Position {
        offset: units(offset),
        start: units(start),
        end: units(end),
    }
}
