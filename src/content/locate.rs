//! Finding the line of a value in JSON text, so that a problem found in a parsed document can
//! name the line of the file it came from.
//!
//! serde_json does not keep positions, so this walks the text once more. It assumes the text is
//! valid JSON (it only runs after parsing succeeded) and stops quietly if it is not.

/// The 1-based line where the value at `pointer` (RFC 6901) starts. When the pointer names a
/// value that does not exist, the line of its closest existing ancestor, so that "missing field"
/// problems point at the object that lacks it.
pub(crate) fn line_of_pointer(text: &str, pointer: &str) -> Option<usize> {
    let target: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .trim_start_matches('/')
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        target: &target,
        best: None,
    };
    let mut path = Vec::new();
    scanner.value(&mut path);
    scanner.best.map(|(_, line)| line)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    target: &'a [String],
    /// The deepest ancestor of the target seen so far: (depth, line).
    best: Option<(usize, usize)>,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn note(&mut self, path: &[String]) {
        let is_prefix = path.len() <= self.target.len() && self.target[..path.len()] == *path;
        if is_prefix && self.best.is_none_or(|(depth, _)| path.len() > depth) {
            self.best = Some((path.len(), self.line));
        }
    }

    /// Scans one value; returns false when the text ends early or is malformed.
    fn value(&mut self, path: &mut Vec<String>) -> bool {
        self.skip_ws();
        self.note(path);
        match self.peek() {
            Some(b'{') => self.object(path),
            Some(b'[') => self.array(path),
            Some(b'"') => self.string().is_some(),
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
                true
            }
            None => false,
        }
    }

    fn object(&mut self, path: &mut Vec<String>) -> bool {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return true;
                }
                Some(b',') => self.pos += 1,
                Some(b'"') => {
                    let Some(key) = self.string() else {
                        return false;
                    };
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.pos += 1;
                    path.push(key);
                    let ok = self.value(path);
                    path.pop();
                    if !ok {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    fn array(&mut self, path: &mut Vec<String>) -> bool {
        self.pos += 1;
        let mut index = 0;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return true;
                }
                Some(b',') => self.pos += 1,
                Some(_) => {
                    path.push(index.to_string());
                    let ok = self.value(path);
                    path.pop();
                    if !ok {
                        return false;
                    }
                    index += 1;
                }
                None => return false,
            }
        }
    }

    /// Scans a string starting at the opening quote and returns its decoded value.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    let raw = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
                    return serde_json::from_str(raw).ok();
                }
                _ => self.pos += 1,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::line_of_pointer;

    const TEXT: &str = r#"{
  "processors": [
    { "set": { "field": "a", "value": 1 } },
    {
      "grok": {
        "field": "message",
        "patterns": ["%{IP:source.ip}"]
      }
    }
  ],
  "a/b": { "c~d": true }
}"#;

    #[test]
    fn finds_nested_values_and_array_items() {
        assert_eq!(line_of_pointer(TEXT, ""), Some(1));
        assert_eq!(line_of_pointer(TEXT, "/processors"), Some(2));
        assert_eq!(line_of_pointer(TEXT, "/processors/0/set/field"), Some(3));
        assert_eq!(line_of_pointer(TEXT, "/processors/1"), Some(4));
        assert_eq!(
            line_of_pointer(TEXT, "/processors/1/grok/patterns/0"),
            Some(7)
        );
    }

    #[test]
    fn escaped_tokens_and_missing_values_fall_back_to_the_ancestor() {
        assert_eq!(line_of_pointer(TEXT, "/a~1b/c~0d"), Some(11));
        assert_eq!(
            line_of_pointer(TEXT, "/processors/1/grok/pattern_definitions"),
            Some(5)
        );
        assert_eq!(line_of_pointer("not json", "/x"), Some(1));
    }
}
