//! IP literals as the `ip` field reads them: OpenSearch's `InetAddresses.forString`
//! (`libs/common/src/main/java/org/opensearch/common/network/InetAddresses.java`, a fork of
//! Guava's): dotted quads without leading zeros, IPv6 with at most one `::` and an optional
//! embedded dotted quad, no scope ids (`%eth0`), no brackets.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::error::JavaError;

/// `InetAddresses.forString`: the address, or `IllegalArgumentException`
/// "'x' is not an IP string literal.".
pub(crate) fn for_string(s: &str) -> Result<IpAddr, JavaError> {
    ip_string_to_bytes(s)
        .ok_or_else(|| JavaError::illegal_argument(format!("'{s}' is not an IP string literal.")))
}

fn ip_string_to_bytes(s: &str) -> Option<IpAddr> {
    let mut has_colon = false;
    let mut has_dot = false;
    for c in s.chars() {
        if c == '.' {
            has_dot = true;
        } else if c == ':' {
            if has_dot {
                return None; // colons must not appear after dots
            }
            has_colon = true;
        } else if !c.is_ascii_hexdigit() {
            return None;
        }
    }
    if has_colon {
        let text = if has_dot {
            convert_dotted_quad_to_hex(s)?
        } else {
            s.to_string()
        };
        return text_to_v6(&text).map(IpAddr::V6);
    }
    if has_dot {
        return text_to_v4(s).map(IpAddr::V4);
    }
    None
}

fn text_to_v4(s: &str) -> Option<Ipv4Addr> {
    // split("\\.", 5): trailing empty parts are kept
    let parts: Vec<&str> = s.splitn(5, '.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut bytes = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        bytes[i] = parse_octet(p)?;
    }
    Some(Ipv4Addr::from(bytes))
}

fn parse_octet(p: &str) -> Option<u8> {
    // Integer.parseInt: decimal digits only here (hex letters fail)
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if p.len() > 1 && p.starts_with('0') {
        return None; // leading zeros are ambiguous (octal or decimal)
    }
    let v: u32 = p.parse().ok()?;
    if v > 255 {
        return None;
    }
    Some(v as u8)
}

fn text_to_v6(s: &str) -> Option<Ipv6Addr> {
    const PARTS: usize = 8;
    let parts: Vec<&str> = s.splitn(PARTS + 2, ':').collect();
    if parts.len() < 3 || parts.len() > PARTS + 1 {
        return None;
    }
    let mut skip_index: Option<usize> = None;
    for (i, p) in parts.iter().enumerate().take(parts.len() - 1).skip(1) {
        if p.is_empty() {
            if skip_index.is_some() {
                return None;
            }
            skip_index = Some(i);
        }
    }
    let (parts_hi, parts_lo) = match skip_index {
        Some(k) => {
            let mut hi = k;
            let mut lo = parts.len() - k - 1;
            if parts[0].is_empty() {
                hi -= 1;
                if hi != 0 {
                    return None; // ^: requires ^::
                }
            }
            if parts[parts.len() - 1].is_empty() {
                lo -= 1;
                if lo != 0 {
                    return None; // :$ requires ::$
                }
            }
            (hi, lo)
        }
        None => (parts.len(), 0),
    };
    let skipped = PARTS as isize - (parts_hi + parts_lo) as isize;
    if skip_index.is_some() {
        if skipped < 1 {
            return None;
        }
    } else if skipped != 0 {
        return None;
    }
    let mut out = [0u16; PARTS];
    let mut j = 0;
    for p in parts.iter().take(parts_hi) {
        out[j] = parse_hextet(p)?;
        j += 1;
    }
    j += skipped as usize;
    for p in parts.iter().skip(parts.len() - parts_lo) {
        out[j] = parse_hextet(p)?;
        j += 1;
    }
    Some(Ipv6Addr::from(out))
}

fn parse_hextet(p: &str) -> Option<u16> {
    if p.is_empty() || p.len() > 4 {
        return None;
    }
    u16::from_str_radix(p, 16).ok()
}

fn convert_dotted_quad_to_hex(s: &str) -> Option<String> {
    let last_colon = s.rfind(':')?;
    let initial = &s[..=last_colon];
    let quad = text_to_v4(&s[last_colon + 1..])?.octets();
    let penultimate = (u16::from(quad[0]) << 8) | u16::from(quad[1]);
    let ultimate = (u16::from(quad[2]) << 8) | u16::from(quad[3]);
    Some(format!("{initial}{penultimate:x}:{ultimate:x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases from upstream InetAddressesTests / IpFieldMapperTests.
    #[test]
    fn valid() {
        for s in [
            "1.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "::",
            "::1",
            "1::",
            "2001:db8::1",
            "::ffff:192.168.1.1",
            "7::0.128.0.127",
            "1:2:3:4:5:6:7:8",
            "::1.2.3.4",
        ] {
            assert!(for_string(s).is_ok(), "{s}");
        }
        assert_eq!(
            for_string("::ffff:1.2.3.4").unwrap(),
            "::ffff:1.2.3.4".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn invalid() {
        for s in [
            "",
            "016.016.016.016",
            "016.016.016",
            "016.016",
            "016",
            "000.000.000.000",
            "000",
            "0x0a.0x0a.0x0a.0x0a",
            "0x0a.0x0a.0x0a",
            "256.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4:80",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            ":1:2",
            "1:2:",
            "fe80::1%eth0",
            "[::1]",
            "12345::1",
            "1.2.3.4::",
            "::1.2.3",
            "not an ip",
            "1",
        ] {
            assert!(for_string(s).is_err(), "{s}");
        }
        assert_eq!(
            for_string("abc").unwrap_err().message,
            "'abc' is not an IP string literal."
        );
    }
}
