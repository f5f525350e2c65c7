//! The `fingerprint` processor: a hash of chosen fields (or all fields but some), as
//! `<method>:<base64 digest>`.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/FingerprintProcessor.java`
//! (commit 1f2d5d05ee4b8fc95e9a290545b40487c49048a4). OpenSearch's processor (added in 2.16)
//! has the versioned hash methods `MD5@2.16.0`, `SHA-1@2.16.0` (default), `SHA-256@2.16.0`,
//! `SHA3-256@2.16.0`; it has no salt and no MurmurHash3 (those are another product's options).

use base64::Engine;
use md5::Md5;
use painless::value::map::{natural_order, JMap, MapKind};
use painless::value::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use sha3::Sha3_256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HashMethod {
    Md5,
    Sha1,
    Sha256,
    Sha3_256,
}

impl HashMethod {
    /// `HashMethod.fromMethodName`: the name upper-cased.
    pub(crate) fn from_name(name: &str) -> Option<HashMethod> {
        Some(match name.to_uppercase().as_str() {
            "MD5@2.16.0" => HashMethod::Md5,
            "SHA-1@2.16.0" => HashMethod::Sha1,
            "SHA-256@2.16.0" => HashMethod::Sha256,
            "SHA3-256@2.16.0" => HashMethod::Sha3_256,
            _ => return None,
        })
    }

    fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            HashMethod::Md5 => Md5::digest(bytes).to_vec(),
            HashMethod::Sha1 => Sha1::digest(bytes).to_vec(),
            HashMethod::Sha256 => Sha256::digest(bytes).to_vec(),
            HashMethod::Sha3_256 => Sha3_256::digest(bytes).to_vec(),
        }
    }
}

pub(crate) const DEFAULT_HASH_METHOD: &str = "SHA-1@2.16.0";
pub(crate) const DEFAULT_TARGET_FIELD: &str = "fingerprint";
pub(crate) const HASH_METHOD_ERROR: &str =
    "hash method must be MD5@2.16.0, SHA-1@2.16.0, SHA-256@2.16.0 or SHA3-256@2.16.0";

/// `String.length()`: UTF-16 code units.
fn java_length(s: &str) -> usize {
    s.encode_utf16().count()
}

fn flatten(map: &JMap, out: &mut JMap) {
    for (k, v) in map.iter() {
        if let Value::Map(inner) = &v {
            let mut nested = JMap::new(MapKind::Hash);
            flatten(&inner.borrow(), &mut nested);
            for (ik, iv) in nested.iter() {
                out.insert_str(
                    &format!("{}.{}", k.java_to_string(), ik.java_to_string()),
                    iv,
                );
            }
        } else {
            out.insert(k, v);
        }
    }
}

/// Appends one field's part of the hashed text: `|field|len:value`, or for a map each flattened
/// entry sorted by key as `|field.key|len:value` (`String.valueOf`, length in UTF-16 units).
pub(crate) fn append_field(out: &mut String, field: &str, value: &Value) {
    if let Value::Map(m) = value {
        let mut flat = JMap::new(MapKind::Hash);
        flatten(&m.borrow(), &mut flat);
        let mut entries: Vec<(Value, Value)> = flat.iter().collect();
        entries.sort_by(|a, b| natural_order(&a.0, &b.0));
        for (k, v) in entries {
            let text = v.java_to_string();
            out.push_str(&format!(
                "|{field}.{}|{}:{text}",
                k.java_to_string(),
                java_length(&text)
            ));
        }
    } else {
        let text = value.java_to_string();
        out.push_str(&format!("|{field}|{}:{text}", java_length(&text)));
    }
}

/// The stored value: `hashMethod + ":" + base64(digest(text + "|"))`, the method as configured.
pub(crate) fn finish(method_name: &str, method: HashMethod, mut concatenated: String) -> String {
    concatenated.push('|');
    let digest = method.digest(concatenated.as_bytes());
    format!(
        "{method_name}:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Field names sorted as `String.compareTo` (UTF-16 code units), without duplicates.
pub(crate) fn sorted_distinct(mut names: Vec<String>) -> Vec<String> {
    names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use painless::value::parse_json;

    fn hash(doc: &str, fields: &[&str], method: &str) -> String {
        let Value::Map(m) = parse_json(doc).unwrap() else {
            panic!()
        };
        let m = m.borrow();
        let names = sorted_distinct(fields.iter().map(|s| s.to_string()).collect());
        let mut text = String::new();
        for f in &names {
            append_field(&mut text, f, m.get_str(f).unwrap());
        }
        finish(method, HashMethod::from_name(method).unwrap(), text)
    }

    #[test]
    fn yaml_hashes() {
        // 340_fingerprint_processor.yml
        assert_eq!(
            hash(r#"{"foo":"foo"}"#, &["foo"], "SHA-1@2.16.0"),
            "SHA-1@2.16.0:YqpBTuHXCPV04j/7lGfWeUl8Tyo="
        );
        let doc = r#"{"foo":[1,2,3],"bar":{"field":{"innerField":"inner"}},"zoo":null}"#;
        assert_eq!(
            hash(doc, &["foo", "bar", "zoo"], "SHA-1@2.16.0"),
            "SHA-1@2.16.0:KYJ4pc4ouFmAbgZGp7CfNoykZeo="
        );
        assert_eq!(
            hash(doc, &["zoo", "foo", "bar", "foo"], "MD5@2.16.0"),
            "MD5@2.16.0:NovpcJ+MYHzEZtCewcDPTQ=="
        );
        assert_eq!(
            hash(doc, &["foo", "bar", "zoo"], "SHA-256@2.16.0"),
            "SHA-256@2.16.0:Sdlg0BodM3n1my4BvaTfJCPrvHxfrxno0kCLfMaC+XY="
        );
        assert_eq!(
            hash(doc, &["foo", "bar", "zoo"], "SHA3-256@2.16.0"),
            "SHA3-256@2.16.0:+GZCkMLEMkUA/4IrEZEZZYsVMbZdpJ92ppN3wUsFYOI="
        );
    }

    #[test]
    fn serialisation() {
        let mut s = String::new();
        append_field(&mut s, "a", &Value::from("é€"));
        assert_eq!(s, "|a|2:é€");
        let mut s = String::new();
        append_field(&mut s, "n", &Value::Double(1.0));
        assert_eq!(s, "|n|3:1.0");
        assert_eq!(
            HashMethod::from_name("sha-1@2.16.0"),
            Some(HashMethod::Sha1)
        );
        assert_eq!(HashMethod::from_name("SHA-1"), None);
    }
}
