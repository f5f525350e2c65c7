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

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

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

pub struct FingerprintProcessor {
    tag: Option<String>,
    description: Option<String>,
    fields: Option<Vec<String>>,
    exclude_fields: Option<Vec<String>>,
    target_field: String,
    hash_method_name: String,
    hash_method: HashMethod,
    ignore_missing: bool,
}

/// A `List<String>` option: its elements must be strings (`Strings.isNullOrEmpty` on another
/// type fails with a `ClassCastException` upstream).
fn string_list(
    list: Option<Vec<serde_json::Value>>,
) -> Result<Option<Vec<Option<String>>>, IngestError> {
    let Some(items) = list else { return Ok(None) };
    items
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(Some(s)),
            serde_json::Value::Null => Ok(None),
            other => {
                let from = crate::config::json_class_name(&other);
                Err(crate::processors::lowercase::abstract_string::java_ref(&painless::value::Exception::class_cast(format!(
                    "class {from} cannot be cast to class java.lang.String ({from} and java.lang.String are in module java.base of loader 'bootstrap')"
                ))))
            }
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn any_empty(list: &[Option<String>]) -> bool {
    list.iter().any(|s| s.as_deref().is_none_or(str::is_empty))
}

/// `FingerprintProcessor.Factory`: `fields` / `exclude_fields` (not both, no empty names),
/// `target_field` (default `fingerprint`), `hash_method` (default `SHA-1@2.16.0`),
/// `ignore_missing`.
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let fields = string_list(config.optional_list("fields")?)?;
    let exclude_fields = string_list(config.optional_list("exclude_fields")?)?;
    if let Some(f) = fields.as_ref().filter(|f| !f.is_empty()) {
        if any_empty(f) {
            return Err(config.new_config_error("fields", "field name cannot be null nor empty"));
        }
        if exclude_fields.as_ref().is_some_and(|e| !e.is_empty()) {
            return Err(
                config.new_config_error("fields", "either fields or exclude_fields can be set")
            );
        }
    }
    if let Some(e) = exclude_fields.as_ref().filter(|e| !e.is_empty()) {
        if any_empty(e) {
            return Err(
                config.new_config_error("exclude_fields", "field name cannot be null nor empty")
            );
        }
    }
    let target_field = config.string_or("target_field", DEFAULT_TARGET_FIELD)?;
    let hash_method_name = config.string_or("hash_method", DEFAULT_HASH_METHOD)?;
    let hash_method = HashMethod::from_name(&hash_method_name)
        .ok_or_else(|| config.new_config_error("hash_method", HASH_METHOD_ERROR))?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let flatten =
        |l: Option<Vec<Option<String>>>| l.map(|v| v.into_iter().flatten().collect::<Vec<_>>());
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(FingerprintProcessor {
        tag,
        description,
        fields: flatten(fields),
        exclude_fields: flatten(exclude_fields),
        target_field,
        hash_method_name,
        hash_method,
        ignore_missing,
    }))
}

impl Processor for FingerprintProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let metadata = crate::document::METADATA_FIELDS;
        let existing: Vec<String> = match doc.source_and_metadata() {
            Value::Map(m) => m
                .borrow()
                .keys()
                .iter()
                .map(Value::java_to_string)
                .collect(),
            _ => Vec::new(),
        };
        let not_meta = |f: &String| !metadata.contains(&f.as_str());
        let chosen: Vec<String> = match (&self.fields, &self.exclude_fields) {
            (Some(f), _) if !f.is_empty() => f.iter().filter(|f| not_meta(f)).cloned().collect(),
            (_, Some(e)) if !e.is_empty() => existing
                .into_iter()
                .filter(|f| not_meta(f) && !e.contains(f))
                .collect(),
            _ => existing.into_iter().filter(not_meta).collect(),
        };
        let mut text = String::new();
        for field in sorted_distinct(chosen) {
            if !doc.has_field(&field) {
                if self.ignore_missing {
                    continue;
                }
                return Err(IngestError::illegal_argument(format!(
                    "field [{field}] doesn't exist"
                )));
            }
            let value = doc.field(&field)?;
            append_field(&mut text, &field, &value);
        }
        if text.is_empty() {
            return Ok(Outcome::Continue);
        }
        let hash = finish(&self.hash_method_name, self.hash_method, text);
        doc.set_field(&self.target_field, Value::from(hash))?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "fingerprint"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
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

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        // 340_fingerprint_processor.yml
        let doc = json!({"foo": [1, 2, 3], "bar": {"field": {"innerField": "inner"}}, "zoo": null});
        for config in [
            json!({"fields": ["foo", "bar", "zoo"]}),
            json!({}),
            json!({"fields": []}),
            json!({"exclude_fields": []}),
        ] {
            let p = build("fingerprint", config.clone());
            assert_eq!(
                run_ok(&*p, doc.clone())["fingerprint"],
                "SHA-1@2.16.0:KYJ4pc4ouFmAbgZGp7CfNoykZeo=",
                "{config}"
            );
        }
        let p = build(
            "fingerprint",
            json!({"exclude_fields": ["other"], "hash_method": "MD5@2.16.0"}),
        );
        let mut with_other = doc.clone();
        with_other["other"] = json!("x");
        assert_eq!(
            run_ok(&*p, with_other)["fingerprint"],
            "MD5@2.16.0:NovpcJ+MYHzEZtCewcDPTQ=="
        );
        let p = build(
            "fingerprint",
            json!({"fields": ["foo"], "target_field": "target"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"foo": "foo"}))["target"],
            "SHA-1@2.16.0:YqpBTuHXCPV04j/7lGfWeUl8Tyo="
        );
        let p = build("fingerprint", json!({"fields": ["foo"]}));
        assert_eq!(
            run_err(&*p, json!({"bar": "bar"})).reason(),
            "field [foo] doesn't exist"
        );
        let p = build(
            "fingerprint",
            json!({"fields": ["foo", "bar"], "ignore_missing": true}),
        );
        assert_eq!(
            run_ok(&*p, json!({"foo": "foo"}))["fingerprint"],
            "SHA-1@2.16.0:YqpBTuHXCPV04j/7lGfWeUl8Tyo="
        );
        // nothing to hash: nothing set
        let p = build(
            "fingerprint",
            json!({"fields": ["a"], "ignore_missing": true}),
        );
        assert_eq!(run_ok(&*p, json!({"b": 1})), json!({"b": 1}));
        // creation errors
        assert_eq!(
            build_err("fingerprint", json!({"fields": [null]})).reason(),
            "[fields] field name cannot be null nor empty"
        );
        assert_eq!(
            build_err("fingerprint", json!({"fields": [""]})).reason(),
            "[fields] field name cannot be null nor empty"
        );
        assert_eq!(
            build_err("fingerprint", json!({"exclude_fields": [""]})).reason(),
            "[exclude_fields] field name cannot be null nor empty"
        );
        assert_eq!(
            build_err(
                "fingerprint",
                json!({"fields": ["a"], "exclude_fields": ["b"]})
            )
            .reason(),
            "[fields] either fields or exclude_fields can be set"
        );
        assert_eq!(
            build_err("fingerprint", json!({"hash_method": "non-existing"})).reason(),
            "[hash_method] hash method must be MD5@2.16.0, SHA-1@2.16.0, SHA-256@2.16.0 or SHA3-256@2.16.0"
        );
    }
}
