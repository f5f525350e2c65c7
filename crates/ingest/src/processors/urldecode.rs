//! The `urldecode` processor: `URLDecoder.decode(value, UTF_8)` on a string or each string of a
//! list.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/URLDecodeProcessor.java`
//! (commit 193ea93eb22be2c1639b33d093eabd7c3dacfae1), on `AbstractStringProcessor`; the decoding
//! is `java.net.URLDecoder.decode(String, Charset)` of JDK 21.

use painless::value::{Exception, Value};

use super::lowercase::abstract_string;
use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

/// `java.net.URLDecoder.decode(s, UTF_8)`: `+` is a space, runs of `%XX` are bytes decoded as
/// UTF-8 (malformed bytes become U+FFFD), and its errors are `IllegalArgumentException`s.
pub(crate) fn url_decode(s: &str) -> Result<String, Exception> {
    let units: Vec<char> = s.chars().collect();
    let n = units.len();
    let mut out = String::with_capacity(s.len());
    let mut i = 0usize;
    while i < n {
        match units[i] {
            '+' => {
                out.push(' ');
                i += 1;
            }
            '%' => {
                let mut bytes = Vec::new();
                let mut c = '%';
                while i + 2 < n && c == '%' {
                    let v = parse_hex_pair(units[i + 1], units[i + 2])?;
                    if v < 0 {
                        return Err(Exception::illegal_argument(
                            "URLDecoder: Illegal hex characters in escape (%) pattern - negative value",
                        ));
                    }
                    bytes.push(v as u8);
                    i += 3;
                    if i < n {
                        c = units[i];
                    }
                }
                if i < n && c == '%' {
                    return Err(Exception::illegal_argument(
                        "URLDecoder: Incomplete trailing escape (%) pattern",
                    ));
                }
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// `Integer.parseInt(s, i + 1, i + 3, 16)` over two characters: an optional sign then digits.
fn parse_hex_pair(a: char, b: char) -> Result<i32, Exception> {
    let bad = |index: usize| {
        Exception::illegal_argument(format!(
            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index {index} in: \"{a}{b}\""
        ))
    };
    match a {
        '-' | '+' => {
            let d = b.to_digit(16).ok_or_else(|| bad(1))? as i32;
            Ok(if a == '-' { -d } else { d })
        }
        _ => {
            let hi = a.to_digit(16).ok_or_else(|| bad(0))? as i32;
            let lo = b.to_digit(16).ok_or_else(|| bad(1))? as i32;
            Ok(hi * 16 + lo)
        }
    }
}

pub(crate) fn process(value: &str) -> Result<Value, IngestError> {
    url_decode(value)
        .map(Value::from)
        .map_err(abstract_string::java)
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    Ok(abstract_string::build(
        "urldecode",
        options,
        common,
        Box::new(process),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_java() {
        // URLDecodeProcessorTests: "http://www.elastic.co/" round trip and "+" as space
        assert_eq!(
            url_decode("http%3A%2F%2Fwww.elastic.co%2F").unwrap(),
            "http://www.elastic.co/"
        );
        assert_eq!(url_decode("foo+bar%20baz").unwrap(), "foo bar baz");
        assert_eq!(url_decode("caf%C3%A9").unwrap(), "café");
        // malformed UTF-8 is replaced, not an error
        assert_eq!(url_decode("%C3").unwrap(), "\u{fffd}");
        // 160_urldecode.yml
        assert_eq!(url_decode("foo%20bar").unwrap(), "foo bar");
    }

    #[test]
    fn java_errors() {
        let m = |s: &str| url_decode(s).unwrap_err().message.unwrap();
        assert_eq!(m("%zz"), "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"zz\"");
        assert_eq!(m("%1z"), "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 1 in: \"1z\"");
        assert_eq!(
            m("%-1"),
            "URLDecoder: Illegal hex characters in escape (%) pattern - negative value"
        );
        assert_eq!(
            m("abc%2"),
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        assert_eq!(m("%"), "URLDecoder: Incomplete trailing escape (%) pattern");
        // a lone "%" at the very end after a full escape
        assert_eq!(
            m("%41%"),
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        // "+1" is a valid hex number for Integer.parseInt
        assert_eq!(url_decode("%+1").unwrap(), "\u{1}");
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        // 160_urldecode.yml
        let p = build("urldecode", json!({"field": "my_url"}));
        assert_eq!(
            run_ok(&*p, json!({"my_url": "https%3a%2f%2fopensearch.org%2f"})),
            json!({"my_url": "https://opensearch.org/"})
        );
        assert_eq!(
            run_err(&*p, json!({"my_url": "%zz"})).reason(),
            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"zz\""
        );
    }
}
