//! `java.util.UUID`, and the randomness of `UUID.randomUUID()` and `Math.random()`
//! (`@nondeterministic` in the allowlist: any value is what a node could produce, so the engine
//! draws its own).

use crate::calendar::civil_from_days as civil;
use std::any::Any;
use std::cmp::Ordering;
use std::hash::{BuildHasher, Hasher};
use std::rc::Rc;

use md5::Digest;

use crate::value::{JavaObject, Value};

use super::util::*;
use super::{Registry, Thrown};

const UUID: &str = "java.util.UUID";

pub(crate) struct Uuid {
    msb: i64,
    lsb: i64,
}

impl Uuid {
    fn value(msb: i64, lsb: i64) -> Value {
        Value::Object(Rc::new(Uuid { msb, lsb }))
    }
    fn version(&self) -> i32 {
        ((self.msb >> 12) & 0x0f) as i32
    }
    fn variant(&self) -> i32 {
        // UUID.variant(): the top bits of the least significant long.
        // Java: (lsb >>> (64 - (lsb >>> 62))) & (lsb >> 63), shift counts modulo 64.
        let l = self.lsb as u64;
        let mask = (self.lsb >> 63) as u64;
        (l.wrapping_shr((64 - (l >> 62)) as u32) & mask) as i32
    }
}

impl JavaObject for Uuid {
    fn class_name(&self) -> &str {
        UUID
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        let (m, l) = (self.msb as u64, self.lsb as u64);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            m >> 32,
            (m >> 16) & 0xffff,
            m & 0xffff,
            l >> 48,
            l & 0xffff_ffff_ffff
        )
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other
            .as_any()
            .downcast_ref::<Uuid>()
            .is_some_and(|o| o.msb == self.msb && o.lsb == self.lsb)
    }
    fn java_hash_code(&self) -> i32 {
        let h = self.msb ^ self.lsb;
        ((h >> 32) as i32) ^ (h as i32)
    }
    fn to_document_value(&self) -> Option<Value> {
        Some(Value::from(self.java_to_string()))
    }
}

fn this(t: Option<&Value>) -> Result<&Uuid, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Uuid>()
            .ok_or_else(|| cce(recv(t).expect("checked"), UUID)),
        other => Err(cce(other, UUID)),
    }
}

/// 64 random bits from the standard library's randomly seeded hasher.
pub(crate) fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// `UUID.fromString`: five groups of hex digits separated by dashes.
fn from_string(s: &str) -> Result<Value, Thrown> {
    let bad = || {
        exc(
            "IllegalArgumentException",
            format!("Invalid UUID string: {s}"),
        )
    };
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 5 || s.len() > 36 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let hex = |p: &str| u64::from_str_radix(p, 16).map_err(|_| bad());
    let (a, b, c, d, e) = (
        hex(parts[0])?,
        hex(parts[1])?,
        hex(parts[2])?,
        hex(parts[3])?,
        hex(parts[4])?,
    );
    let msb = ((a & 0xffff_ffff) << 32) | ((b & 0xffff) << 16) | (c & 0xffff);
    let lsb = ((d & 0xffff) << 48) | (e & 0xffff_ffff_ffff);
    Ok(Uuid::value(msb as i64, lsb as i64))
}

pub(crate) fn register(r: &mut Registry) {
    r.add(UUID, "<init>", 2, |_, a, _| {
        Ok(Uuid::value(long_arg(a, 0)?, long_arg(a, 1)?))
    });
    r.add(UUID, "fromString", 1, |_, a, _| from_string(str_arg(a, 0)?));
    r.add(UUID, "randomUUID", 0, |_, _, _| {
        // Version 4, IETF variant, as UUID.randomUUID.
        let msb = (random_u64() & !0xf000) | 0x4000;
        let lsb = (random_u64() & !(0xc000 << 48)) | (0x8000 << 48);
        Ok(Uuid::value(msb as i64, lsb as i64))
    });
    r.add(UUID, "nameUUIDFromBytes", 1, |_, a, _| {
        // Version 3: the MD5 of the bytes, with the version and variant bits set.
        let bytes = super::collections::byte_array(arg(a, 0))?;
        let mut d: [u8; 16] = md5::Md5::digest(&bytes).into();
        d[6] = (d[6] & 0x0f) | 0x30;
        d[8] = (d[8] & 0x3f) | 0x80;
        let msb = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
        let lsb = u64::from_be_bytes(d[8..].try_into().expect("8 bytes"));
        Ok(Uuid::value(msb as i64, lsb as i64))
    });
    r.add(UUID, "getMostSignificantBits", 0, |t, _, _| {
        Ok(Value::Long(this(t)?.msb))
    });
    r.add(UUID, "getLeastSignificantBits", 0, |t, _, _| {
        Ok(Value::Long(this(t)?.lsb))
    });
    r.add(UUID, "version", 0, |t, _, _| {
        Ok(Value::Int(this(t)?.version()))
    });
    r.add(UUID, "variant", 0, |t, _, _| {
        Ok(Value::Int(this(t)?.variant()))
    });
    r.add(UUID, "compareTo", 1, |t, a, _| {
        let x = this(t)?;
        let y = this(Some(arg(a, 0)))?;
        let o = x.msb.cmp(&y.msb).then(x.lsb.cmp(&y.lsb));
        Ok(Value::Int(match o {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    for name in ["timestamp", "clockSequence", "node"] {
        let f: super::NativeFn = match name {
            "timestamp" => |t, _, _| {
                let u = this(t)?;
                if u.version() != 1 {
                    return Err(exc(
                        "UnsupportedOperationException",
                        "Not a time-based UUID",
                    ));
                }
                let m = u.msb as u64;
                Ok(Value::Long(
                    (((m & 0x0fff) << 48) | (((m >> 16) & 0xffff) << 32) | (m >> 32)) as i64,
                ))
            },
            "clockSequence" => |t, _, _| {
                let u = this(t)?;
                if u.version() != 1 {
                    return Err(exc(
                        "UnsupportedOperationException",
                        "Not a time-based UUID",
                    ));
                }
                Ok(Value::Int(
                    (((u.lsb as u64) & 0x3fff_0000_0000_0000) >> 48) as i32,
                ))
            },
            _ => |t, _, _| {
                let u = this(t)?;
                if u.version() != 1 {
                    return Err(exc(
                        "UnsupportedOperationException",
                        "Not a time-based UUID",
                    ));
                }
                Ok(Value::Long(u.lsb & 0x0000_ffff_ffff_ffff))
            },
        };
        r.add(UUID, name, 0, f);
    }
    for class in ["java.lang.Math", "java.lang.StrictMath"] {
        // 53 random bits in [0, 1), as Random.nextDouble.
        r.add(class, "random", 0, |_, _, _| {
            Ok(Value::Double(
                (random_u64() >> 11) as f64 / (1u64 << 53) as f64,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::tests::{ok, s, thrown};

    #[test]
    fn uuids() {
        let u = ok(
            "UUID",
            "fromString",
            None,
            &[s("123e4567-e89b-12d3-a456-426614174000")],
        );
        assert_eq!(u.java_to_string(), "123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(
            ok("UUID", "version", Some(u.clone()), &[]).java_to_string(),
            "1"
        );
        assert_eq!(ok("UUID", "variant", Some(u), &[]).java_to_string(), "2");
        let r = ok("UUID", "randomUUID", None, &[]);
        assert_eq!(
            ok("UUID", "version", Some(r.clone()), &[]).java_to_string(),
            "4"
        );
        assert_eq!(r.java_to_string().len(), 36);
        assert_eq!(
            thrown("UUID", "fromString", None, &[s("nope")]),
            "IllegalArgumentException: Invalid UUID string: nope"
        );
        let bytes = Value::Array(Rc::new(std::cell::RefCell::new(crate::value::JArray::new(
            "byte".into(),
            b"hello".iter().map(|b| Value::Byte(*b as i8)).collect(),
        ))));
        // Java: UUID.nameUUIDFromBytes("hello".getBytes()) = 5d41402a-bc4b-3a76-b971-9d911017c592
        assert_eq!(
            ok("UUID", "nameUUIDFromBytes", None, &[bytes]).java_to_string(),
            "5d41402a-bc4b-3a76-b971-9d911017c592"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// java.util.Date

const DATE: &str = "java.util.Date";

/// `java.util.Date`: milliseconds since the epoch. `toString` is printed in UTC (a node prints
/// it in the JVM's default time zone, UTC in OpenSearch's distribution images).
pub(crate) struct Date {
    millis: std::cell::Cell<i64>,
}

impl Date {
    fn value(millis: i64) -> Value {
        Value::Object(Rc::new(Date {
            millis: std::cell::Cell::new(millis),
        }))
    }
}

impl JavaObject for Date {
    fn class_name(&self) -> &str {
        DATE
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        // "EEE MMM dd HH:mm:ss zzz yyyy"
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let ms = self.millis.get();
        let secs = ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil(days);
        format!(
            "{} {} {d:02} {:02}:{:02}:{:02} UTC {y}",
            DAYS[(days + 3).rem_euclid(7) as usize],
            MONTHS[(m - 1) as usize],
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        )
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other
            .as_any()
            .downcast_ref::<Date>()
            .is_some_and(|o| o.millis.get() == self.millis.get())
    }
    fn java_hash_code(&self) -> i32 {
        let m = self.millis.get();
        (m as i32) ^ ((m >> 32) as i32)
    }
    fn to_document_value(&self) -> Option<Value> {
        // XContentBuilder: DEFAULT_FORMATTER (strict_date_optional_time_nanos) of the instant.
        let ms = self.millis.get();
        let secs = ms.div_euclid(1000);
        let nanos = (ms.rem_euclid(1000) * 1_000_000) as i32;
        let v = super::time::instant(secs, nanos);
        match &v {
            Value::Object(o) => o.to_document_value(),
            _ => None,
        }
    }
}

fn date(v: &Value) -> Result<&Date, Thrown> {
    match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Date>()
            .ok_or_else(|| cce(v, DATE)),
        Value::Null => Err(npe()),
        other => Err(cce(other, DATE)),
    }
}

pub(crate) fn register_date(r: &mut Registry) {
    r.add(DATE, "<init>", 0, |_, _, _| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Ok(Date::value(now))
    });
    r.add(DATE, "<init>", 1, |_, a, _| {
        Ok(Date::value(long_arg(a, 0)?))
    });
    r.add(DATE, "getTime", 0, |t, _, _| {
        Ok(Value::Long(date(super::util::recv(t)?)?.millis.get()))
    });
    r.add(DATE, "setTime", 1, |t, a, _| {
        date(super::util::recv(t)?)?.millis.set(long_arg(a, 0)?);
        Ok(Value::Null)
    });
    r.add(DATE, "after", 1, |t, a, _| {
        Ok(Value::Boolean(
            date(recv(t)?)?.millis.get() > date(arg(a, 0))?.millis.get(),
        ))
    });
    r.add(DATE, "before", 1, |t, a, _| {
        Ok(Value::Boolean(
            date(recv(t)?)?.millis.get() < date(arg(a, 0))?.millis.get(),
        ))
    });
    r.add(DATE, "compareTo", 1, |t, a, _| {
        let (x, y) = (date(recv(t)?)?.millis.get(), date(arg(a, 0))?.millis.get());
        Ok(Value::Int(match x.cmp(&y) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });
    r.add(DATE, "clone", 0, |t, _, _| {
        Ok(Date::value(date(recv(t)?)?.millis.get()))
    });
    r.add(DATE, "from", 1, |_, a, _| {
        let (s, n) =
            super::time::epoch_of(arg(a, 0)).ok_or_else(|| cce(arg(a, 0), "java.time.Instant"))?;
        let ms = i128::from(s) * 1000 + i128::from(n / 1_000_000);
        let ms = i64::try_from(ms).map_err(|_| {
            exc(
                "IllegalArgumentException",
                "java.lang.ArithmeticException: long overflow",
            )
        })?;
        Ok(Date::value(ms))
    });
}

#[cfg(test)]
mod date_tests {
    use super::*;
    use crate::stdlib::tests::ok;

    #[test]
    fn dates() {
        let d = ok("Date", "new", None, &[Value::Long(434_931_330_000)]);
        assert_eq!(d.java_to_string(), "Thu Oct 13 22:15:30 UTC 1983");
        assert_eq!(
            ok("Date", "getTime", Some(d.clone()), &[]).java_to_string(),
            "434931330000"
        );
        let Value::Object(o) = &d else { panic!() };
        assert_eq!(
            o.to_document_value().map(|v| v.java_to_string()).as_deref(),
            Some("1983-10-13T22:15:30.000Z")
        );
    }
}
