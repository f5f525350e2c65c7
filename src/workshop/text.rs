//! Text building for the generator without `core::fmt`: at a million events, formatting
//! machinery and temporary `String`s cost more than the events' own logic (profiled with
//! `perf record` on `siemctl workshop generate --events 1000000`: `core::fmt::write` and
//! `format!` were 35% and 25% of the run). [`put!`] appends pieces; numbers are written digit by
//! digit, exactly as `Display` writes them.

/// Something [`put!`] can append.
pub(crate) trait Piece {
    fn put(self, out: &mut String);
}

impl Piece for &str {
    fn put(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for &String {
    fn put(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn put(self, out: &mut String) {
        out.push(self);
    }
}

impl Piece for bool {
    fn put(self, out: &mut String) {
        out.push_str(if self { "true" } else { "false" });
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn put(self, out: &mut String) {
                uint(out, u64::from(self));
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

impl Piece for usize {
    fn put(self, out: &mut String) {
        uint(out, self as u64);
    }
}

impl Piece for i64 {
    fn put(self, out: &mut String) {
        if self < 0 {
            out.push('-');
        }
        uint(out, self.unsigned_abs());
    }
}

impl Piece for i32 {
    fn put(self, out: &mut String) {
        i64::from(self).put(out);
    }
}

/// Appends each piece in turn: `put!(out, "port ", port, " ssh2")`.
macro_rules! put {
    ($out:expr $(, $piece:expr)* $(,)?) => {{
        let out: &mut String = $out;
        $( $crate::workshop::text::Piece::put($piece, out); )*
    }};
}
pub(crate) use put;

/// `n` in decimal (as `{}` writes it).
pub(crate) fn uint(out: &mut String, n: u64) {
    padded(out, n, 1);
}

/// `n` in decimal, zero-padded to `width` digits (as `{:0width$}` writes it).
pub(crate) fn padded(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(buf.len().saturating_sub(width));
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

/// `n` in lowercase hex, zero-padded to `width` digits (as `{:0width$x}` writes it).
pub(crate) fn hex_padded(out: &mut String, mut n: u64, width: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [b'0'; 16];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = HEX[(n & 0xf) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    let start = i.min(buf.len().saturating_sub(width));
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0u64, 7, 9, 10, 99, 100, 12_345, 4_294_967_295, u64::MAX] {
            for width in [0, 1, 2, 3, 4, 8, 12, 20] {
                let mut out = String::new();
                padded(&mut out, n, width);
                assert_eq!(out, format!("{n:0width$}"));
                let mut out = String::new();
                hex_padded(&mut out, n, width.min(16));
                assert_eq!(out, format!("{n:0w$x}", w = width.min(16)));
            }
        }
        let mut out = String::new();
        put!(
            &mut out,
            "a",
            'b',
            3u32,
            -4i64,
            5usize,
            true,
            &String::from("s"),
            -6i32
        );
        assert_eq!(out, "ab3-45trues-6");
    }
}
