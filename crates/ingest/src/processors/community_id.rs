//! The `community_id` processor: the Community ID v1 flow hash
//! (<https://github.com/corelight/community-id-spec>) of a network flow's addresses, ports and
//! protocol.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/CommunityIdProcessor.java`
//! (commit 92dfbd8db7d285a6a9b7fcdffa61f47482adef80). Upstream's port check is
//! `port < 0 || port > 63335` (sic) while its message says 65535: reproduced as is.

use base64::Engine;
use painless::value::{Exception, Value};
use sha1::{Digest, Sha1};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

use super::convert::inet::ip_string_to_bytes;
use super::lowercase::abstract_string::{cast_integer, cast_string};

pub(crate) const DEFAULT_TARGET_FIELD: &str = "community_id";
const MAX_PORT: i32 = 63335;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    Icmp,
    Tcp,
    Udp,
    IcmpV6,
    Sctp,
}

impl Protocol {
    fn code(self) -> u8 {
        match self {
            Protocol::Icmp => 1,
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::IcmpV6 => 58,
            Protocol::Sctp => 132,
        }
    }

    fn is_transport(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp | Protocol::Sctp)
    }

    fn from_code(code: i32) -> Option<Protocol> {
        [
            Protocol::Icmp,
            Protocol::Tcp,
            Protocol::Udp,
            Protocol::IcmpV6,
            Protocol::Sctp,
        ]
        .into_iter()
        .find(|p| i32::from(p.code()) == code)
    }

    /// `Protocol.fromProtocolName`: the enum names, and `IPV6-ICMP`, case-insensitively.
    fn from_name(name: &str) -> Option<Protocol> {
        Some(match name.to_uppercase().as_str() {
            "IPV6-ICMP" | "ICMP_V6" => Protocol::IcmpV6,
            "ICMP" => Protocol::Icmp,
            "TCP" => Protocol::Tcp,
            "UDP" => Protocol::Udp,
            "SCTP" => Protocol::Sctp,
            _ => return None,
        })
    }
}

/// The ICMP types with an equivalent "code" that makes the flow two-way (`ICMPType`).
fn icmp_equivalent(t: i32) -> Option<i32> {
    Some(match t {
        0 => 8,
        8 => 0,
        9 => 10,
        10 => 9,
        13 => 14,
        14 => 13,
        15 => 16,
        16 => 15,
        17 => 18,
        18 => 17,
        _ => return None,
    })
}

/// `ICMPv6Type`.
fn icmp6_equivalent(t: i32) -> Option<i32> {
    Some(match t {
        128 => 129,
        129 => 128,
        130 => 131,
        131 => 130,
        133 => 134,
        134 => 133,
        135 => 136,
        136 => 135,
        139 => 140,
        140 => 139,
        144 => 145,
        145 => 144,
        _ => return None,
    })
}

/// The processor's field names and options.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub(crate) source_ip: String,
    pub(crate) source_port: Option<String>,
    pub(crate) destination_ip: String,
    pub(crate) destination_port: Option<String>,
    pub(crate) iana_protocol_number: Option<String>,
    pub(crate) protocol: Option<String>,
    pub(crate) icmp_type: Option<String>,
    pub(crate) icmp_code: Option<String>,
    pub(crate) seed: i32,
    pub(crate) ignore_missing: bool,
}

fn iae(m: impl Into<String>) -> Exception {
    Exception::illegal_argument(m)
}

fn empty(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(str::is_empty)
}

/// Reads a field as `getFieldValue(path, X.class, true)` does: missing or null is `Ok(Null)`.
pub(crate) type Reader<'a> = dyn Fn(&str) -> Result<Value, Exception> + 'a;

impl Fields {
    fn protocol(&self, read: &Reader<'_>) -> Result<Option<Protocol>, Exception> {
        let mut number = None;
        let mut name = None;
        if let Some(f) = self
            .iana_protocol_number
            .as_deref()
            .filter(|f| !f.is_empty())
        {
            number = cast_integer(f, read(f)?)?;
        }
        if let Some(f) = self.protocol.as_deref().filter(|f| !f.is_empty()) {
            name = cast_string(f, read(f)?)?;
        }
        let protocol = if let Some(n) = number {
            match Protocol::from_code(n).filter(|_| (0..=255).contains(&n)) {
                Some(p) => Some(p),
                None => return Err(iae(format!("unsupported iana protocol number [{n}]"))),
            }
        } else if let Some(name) = name {
            match Protocol::from_name(&name) {
                Some(p) => Some(p),
                None => return Err(iae(format!("unsupported protocol [{name}]"))),
            }
        } else {
            None
        };
        if protocol.is_none() && !self.ignore_missing {
            return Err(iae(format!(
                "cannot resolve protocol by neither iana protocol number field [{}] nor protocol name field [{}]",
                self.iana_protocol_number.as_deref().unwrap_or("null"),
                self.protocol.as_deref().unwrap_or("null"),
            )));
        }
        Ok(protocol)
    }

    fn ip(&self, read: &Reader<'_>, field: &str) -> Result<Option<Vec<u8>>, Exception> {
        if field.is_empty() {
            return if self.ignore_missing {
                Ok(None)
            } else {
                Err(iae("both source ip field path and destination ip field path cannot be null nor empty"))
            };
        }
        let ip = cast_string(field, read(field)?)?;
        let Some(ip) = ip.filter(|s| !s.is_empty()) else {
            return if self.ignore_missing {
                Ok(None)
            } else {
                Err(iae(format!(
                    "ip address in the field [{field}] is null or empty"
                )))
            };
        };
        match ip_string_to_bytes(&ip) {
            Some(b) => Ok(Some(b)),
            None => Err(iae(format!(
                "ip address [{ip}] in the field [{field}] is not a valid ipv4/ipv6 address"
            ))),
        }
    }

    fn port(&self, read: &Reader<'_>, field: &Option<String>) -> Result<Option<i32>, Exception> {
        if empty(field) {
            return if self.ignore_missing {
                Ok(None)
            } else {
                Err(iae(
                    "both source port and destination port field path cannot be null nor empty",
                ))
            };
        }
        let field = field.as_deref().unwrap_or("");
        match cast_integer(field, read(field)?)? {
            None => {
                if self.ignore_missing {
                    Ok(None)
                } else {
                    Err(iae(format!(
                        "both source port and destination port cannot be null, but port in the field path [{field}] is null"
                    )))
                }
            }
            Some(p) if !(0..=MAX_PORT).contains(&p) => Err(iae(format!(
                "both source port and destination port must be between 0 and 65535, but port in the field path [{field}] is [{p}]"
            ))),
            Some(p) => Ok(Some(p)),
        }
    }

    fn icmp(
        &self,
        read: &Reader<'_>,
        field: &Option<String>,
        kind: &str,
    ) -> Result<Option<i32>, Exception> {
        if empty(field) {
            return if self.ignore_missing {
                Ok(None)
            } else {
                Err(iae(format!(
                    "icmp message {kind} field path cannot be null nor empty"
                )))
            };
        }
        let field = field.as_deref().unwrap_or("");
        match cast_integer(field, read(field)?)? {
            None => {
                if self.ignore_missing {
                    Ok(None)
                } else {
                    Err(iae(format!("icmp message {kind} cannot be null")))
                }
            }
            Some(v) if !(0..=255).contains(&v) => {
                Err(iae(format!("invalid icmp message {kind} [{v}]")))
            }
            Some(v) => Ok(Some(v)),
        }
    }

    /// The community id, or `None` when a field is missing and `ignore_missing` is set.
    pub(crate) fn community_id(&self, read: &Reader<'_>) -> Result<Option<String>, Exception> {
        let Some(protocol) = self.protocol(read)? else {
            return Ok(None);
        };
        let Some(mut src_ip) = self.ip(read, &self.source_ip)? else {
            return Ok(None);
        };
        let Some(mut dst_ip) = self.ip(read, &self.destination_ip)? else {
            return Ok(None);
        };
        if src_ip.len() != dst_ip.len() {
            return Err(iae("source ip and destination ip must have same format"));
        }
        let mut src_port = None;
        let mut dst_port = None;
        if protocol.is_transport() {
            let Some(p) = self.port(read, &self.source_port)? else {
                return Ok(None);
            };
            src_port = Some(p);
            let Some(p) = self.port(read, &self.destination_port)? else {
                return Ok(None);
            };
            dst_port = Some(p);
        }
        let mut one_way = true;
        let is_icmp = matches!(protocol, Protocol::Icmp | Protocol::IcmpV6);
        if is_icmp {
            let Some(t) = self.icmp(read, &self.icmp_type, "type")? else {
                return Ok(None);
            };
            src_port = Some(t);
            // the type's byte value, as upstream looks the tables up by `byte`
            let t_byte = i32::from(t as u8);
            let equivalent = if protocol == Protocol::Icmp {
                icmp_equivalent(t_byte)
            } else {
                icmp6_equivalent(t_byte)
            };
            if let Some(code) = equivalent {
                one_way = false;
                dst_port = Some(code);
            } else {
                let Some(c) = self.icmp(read, &self.icmp_code, "code")? else {
                    return Ok(None);
                };
                dst_port = Some(c);
            }
        }
        let (mut sp, mut dp) = (src_port.unwrap_or(0), dst_port.unwrap_or(0));
        let less = src_ip < dst_ip || (src_ip == dst_ip && sp < dp);
        if !less && (!is_icmp || !one_way) {
            std::mem::swap(&mut src_ip, &mut dst_ip);
            std::mem::swap(&mut sp, &mut dp);
        }
        let mut h = Sha1::new();
        h.update(two_bytes(self.seed));
        h.update(&src_ip);
        h.update(&dst_ip);
        h.update([protocol.code(), 0]);
        h.update(two_bytes(sp));
        h.update(two_bytes(dp));
        Ok(Some(format!(
            "1:{}",
            base64::engine::general_purpose::STANDARD.encode(h.finalize())
        )))
    }
}

fn two_bytes(v: i32) -> [u8; 2] {
    [(v >> 8) as u8, v as u8]
}

pub struct CommunityIdProcessor {
    tag: Option<String>,
    description: Option<String>,
    fields: Fields,
    target_field: String,
}

/// `CommunityIdProcessor.Factory`: `source_ip_field` and `destination_ip_field` (required), the
/// optional port, protocol number, protocol name and ICMP type/code fields, `seed` (0..=65535,
/// default 0), `target_field` (default `community_id`), `ignore_missing`.
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let source_ip = config.required_string("source_ip_field")?;
    let source_port = config.optional_string("source_port_field")?;
    let destination_ip = config.required_string("destination_ip_field")?;
    let destination_port = config.optional_string("destination_port_field")?;
    let iana_protocol_number = config.optional_string("iana_protocol_number_field")?;
    let protocol = config.optional_string("protocol_field")?;
    let icmp_type = config.optional_string("icmp_type_field")?;
    let icmp_code = config.optional_string("icmp_code_field")?;
    let seed = config.int("seed", Some(0))?.unwrap_or(0);
    if !(0..=65535).contains(&seed) {
        return Err(config.new_config_error("seed", "seed must be between 0 and 65535"));
    }
    let target_field = config.string_or("target_field", DEFAULT_TARGET_FIELD)?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(CommunityIdProcessor {
        tag,
        description,
        fields: Fields {
            source_ip,
            source_port,
            destination_ip,
            destination_port,
            iana_protocol_number,
            protocol,
            icmp_type,
            icmp_code,
            seed,
            ignore_missing,
        },
        target_field,
    }))
}

impl Processor for CommunityIdProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let failure: std::cell::RefCell<Option<IngestError>> = std::cell::RefCell::new(None);
        let read = |path: &str| -> Result<Value, Exception> {
            match doc.field_opt(path, true) {
                Ok(v) => Ok(v.unwrap_or(Value::Null)),
                Err(e) => {
                    *failure.borrow_mut() = Some(e);
                    Err(Exception::illegal_argument(String::new()))
                }
            }
        };
        let id = match self.fields.community_id(&read) {
            Ok(id) => id,
            Err(e) => {
                return Err(failure.borrow_mut().take().unwrap_or_else(|| {
                    crate::processors::lowercase::abstract_string::java_ref(&e)
                }))
            }
        };
        if let Some(id) = id {
            doc.set_field(&self.target_field, Value::from(id))?;
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "community_id"
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

    fn fields() -> Fields {
        Fields {
            source_ip: "source".into(),
            source_port: Some("srcPort".into()),
            destination_ip: "dest".into(),
            destination_port: Some("destPort".into()),
            iana_protocol_number: None,
            protocol: Some("protocol".into()),
            icmp_type: Some("type".into()),
            icmp_code: Some("code".into()),
            seed: 0,
            ignore_missing: false,
        }
    }

    fn id(f: &Fields, doc: &str) -> Result<Option<String>, Exception> {
        let Value::Map(m) = parse_json(doc).unwrap() else {
            panic!()
        };
        let read = |k: &str| Ok(m.borrow().get_str(k).cloned().unwrap_or(Value::Null));
        f.community_id(&read)
    }

    #[test]
    fn yaml_hashes() {
        // 320_community_id_processor.yml
        let f = fields();
        let cases = [
            (
                r#"{"source":"66.35.250.204","dest":"128.232.110.120","protocol":"tcp","srcPort":80,"destPort":34855}"#,
                "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
            ),
            (
                r#"{"source":"8.8.8.8","dest":"192.168.1.52","protocol":"udp","srcPort":53,"destPort":54585}"#,
                "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
            ),
            (
                r#"{"source":"192.168.170.8","dest":"192.168.170.56","protocol":"sctp","srcPort":7,"destPort":7}"#,
                "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
            ),
            (
                r#"{"source":"192.168.0.89","dest":"192.168.0.1","protocol":"icmp","type":8,"code":0}"#,
                "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
            ),
            (
                r#"{"source":"fe80::260:97ff:fe07:69ea","dest":"ff02::1","protocol":"ipv6-icmp","type":134,"code":0}"#,
                "1:pkvHqCL88/tg1k4cPigmZXUtL00=",
            ),
        ];
        for (doc, want) in cases {
            assert_eq!(id(&f, doc).unwrap().as_deref(), Some(want), "{doc}");
        }
    }

    #[test]
    fn missing_and_errors() {
        let f = fields();
        let e = id(&f, r#"{"dest":"2.2.2.2","protocol":"tcp"}"#).unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("ip address in the field [source] is null or empty")
        );
        let e = id(&f, r#"{"source":"1.1.1.1","protocol":"tcp"}"#).unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("ip address in the field [dest] is null or empty")
        );
        let mut quiet = fields();
        quiet.ignore_missing = true;
        assert_eq!(
            id(&quiet, r#"{"source":"1.1.1.1","protocol":"tcp"}"#).unwrap(),
            None
        );
        let e = id(
            &f,
            r#"{"source":"1.1.1.1","dest":"2.2.2.2","protocol":"foo"}"#,
        )
        .unwrap_err();
        assert_eq!(e.message.as_deref(), Some("unsupported protocol [foo]"));
        let e = id(&f, r#"{"source":"1.1.1.1","dest":"::1","protocol":"tcp"}"#).unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("source ip and destination ip must have same format")
        );
        let e = id(&f, r#"{"source":"1.1.1.1","dest":"2.2.2.2","protocol":"tcp","srcPort":1,"destPort":65000}"#).unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("both source port and destination port must be between 0 and 65535, but port in the field path [destPort] is [65000]")
        );
        let e = id(
            &f,
            r#"{"source":"1.1.1.1","dest":"2.2.2.2","protocol":"tcp","srcPort":"80","destPort":1}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some(
                "field [srcPort] of type [java.lang.String] cannot be cast to [java.lang.Integer]"
            )
        );
        let mut nf = fields();
        nf.protocol = None;
        let e = id(&nf, r#"{"source":"1.1.1.1","dest":"2.2.2.2"}"#).unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("cannot resolve protocol by neither iana protocol number field [null] nor protocol name field [null]")
        );
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        // CommunityIdProcessorTests.testHashResult: both directions, by IANA number
        let p = build(
            "community_id",
            json!({"source_ip_field": "s", "destination_ip_field": "d", "source_port_field": "sp",
                   "destination_port_field": "dp", "iana_protocol_number_field": "n"}),
        );
        let out = run_ok(
            &*p,
            json!({"s": "66.35.250.204", "d": "128.232.110.120", "sp": 80, "dp": 34855, "n": 6}),
        );
        assert_eq!(out["community_id"], "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        let out = run_ok(
            &*p,
            json!({"d": "66.35.250.204", "s": "128.232.110.120", "dp": 80, "sp": 34855, "n": 6}),
        );
        assert_eq!(out["community_id"], "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assert_eq!(
            run_err(
                &*p,
                json!({"s": "1.1.1.1", "d": "2.2.2.2", "sp": 1, "dp": 2, "n": 1000})
            )
            .reason(),
            "unsupported iana protocol number [1000]"
        );
        assert_eq!(
            run_err(
                &*p,
                json!({"s": "1.1.1", "d": "2.2.2.2", "sp": 1, "dp": 2, "n": 6})
            )
            .reason(),
            "ip address [1.1.1] in the field [s] is not a valid ipv4/ipv6 address"
        );
        let p = build(
            "community_id",
            json!({"source_ip_field": "s", "destination_ip_field": "d", "icmp_type_field": "t",
                   "icmp_code_field": "c", "iana_protocol_number_field": "n", "target_field": "x.id"}),
        );
        let out = run_ok(
            &*p,
            json!({"s": "192.168.0.89", "d": "192.168.0.1", "t": 8, "c": 0, "n": 1}),
        );
        assert_eq!(out["x"]["id"], "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
        // 320_community_id_processor.yml: creation errors
        assert_eq!(
            build_err("community_id", json!({"destination_ip_field": "dest"})).reason(),
            "[source_ip_field] required property is missing"
        );
        assert_eq!(
            build_err("community_id", json!({"source_ip_field": "src"})).reason(),
            "[destination_ip_field] required property is missing"
        );
        assert_eq!(
            build_err(
                "community_id",
                json!({"source_ip_field": "s", "destination_ip_field": "d", "seed": 65536})
            )
            .reason(),
            "[seed] seed must be between 0 and 65535"
        );
        // ignore_missing: nothing set
        let p = build(
            "community_id",
            json!({"source_ip_field": "source", "destination_ip_field": "dest", "source_port_field": "srcPort",
                   "destination_port_field": "destPort", "protocol_field": "protocol", "ignore_missing": true}),
        );
        assert_eq!(
            run_ok(&*p, json!({"source": "1.1.1.1", "protocol": "tcp"})),
            json!({"source": "1.1.1.1", "protocol": "tcp"})
        );
    }
}
