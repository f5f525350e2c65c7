//! Made-up identifiers drawn from the generator's seeded random source: deterministic for a seed.

use super::text::hex_padded;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `n` lowercase hex digits.
pub(crate) fn hex(out: &mut String, rng: &mut fastrand::Rng, n: usize) {
    let mut left = 0;
    let mut bits = 0u64;
    for _ in 0..n {
        if left == 0 {
            bits = rng.u64(..);
            left = 16;
        }
        out.push(HEX[(bits & 0xf) as usize] as char);
        bits >>= 4;
        left -= 1;
    }
}

/// A version-4 style UUID (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`).
pub(crate) fn uuid(out: &mut String, rng: &mut fastrand::Rng) {
    let a = rng.u64(..);
    let b = rng.u64(..);
    hex_padded(out, a >> 32, 8);
    out.push('-');
    hex_padded(out, (a >> 16) & 0xffff, 4);
    out.push_str("-4");
    hex_padded(out, a & 0xfff, 3);
    out.push('-');
    hex_padded(out, 8 + (b >> 62), 1);
    hex_padded(out, (b >> 48) & 0xfff, 3);
    out.push('-');
    hex_padded(out, b & 0xffff_ffff_ffff, 12);
}

/// A UUID as a new String.
pub(crate) fn uuid_string(rng: &mut fastrand::Rng) -> String {
    let mut s = String::with_capacity(36);
    uuid(&mut s, rng);
    s
}

/// `n` hex digits as a new String.
pub(crate) fn hex_string(rng: &mut fastrand::Rng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    hex(&mut s, rng, n);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_v4_shape() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..100 {
            let u = uuid_string(&mut rng);
            let parts: Vec<&str> = u.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{u}"
            );
            assert!(parts[2].starts_with('4'), "{u}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{u}");
        }
        assert_eq!(hex_string(&mut rng, 32).len(), 32);
        // the digits are those `format!` writes
        let mut a = fastrand::Rng::with_seed(11);
        let mut b = fastrand::Rng::with_seed(11);
        for _ in 0..1000 {
            let (x, y) = (b.u64(..), b.u64(..));
            let expected = format!(
                "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
                (x >> 32) as u32,
                (x >> 16) as u16,
                x & 0xfff,
                8 + (y >> 62),
                (y >> 48) & 0xfff,
                y & 0xffff_ffff_ffff
            );
            assert_eq!(uuid_string(&mut a), expected);
        }
    }
}
