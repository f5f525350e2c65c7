//! `String.format` (`java.util.Formatter`) for the conversions scripts use: `%s %S %b %B %c %C
//! %d %o %x %X %e %E %f %h %H %n %%`, with argument indices (`%2$s`, `%<s`), the flags
//! `- # + space 0 , (`, width and precision. Floating-point values are rounded half-up on their
//! shortest decimal representation, as the JDK's `FormattedFloatingDecimal` does. Date/time
//! conversions (`%t`), `%g` and `%a` are not supported offline.

use crate::value::Value;

use super::util::*;
use super::Thrown;

struct Spec {
    index: Option<usize>,
    relative: bool,
    flags: String,
    width: Option<usize>,
    precision: Option<usize>,
    conversion: char,
    text: String,
}

pub(crate) fn format(fmt: &str, args: &[Value]) -> Result<String, Thrown> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut ordinary = 0usize;
    let mut last: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let spec = parse_spec(&chars, &mut i, start)?;
        match spec.conversion {
            'n' => {
                out.push('\n');
                continue;
            }
            '%' => {
                pad(&mut out, "%".into(), &spec);
                continue;
            }
            _ => {}
        }
        let index = if spec.relative {
            last.ok_or_else(|| {
                exc(
                    "MissingFormatArgumentException",
                    format!("Format specifier '{}'", spec.text),
                )
            })?
        } else if let Some(n) = spec.index {
            n - 1
        } else {
            ordinary += 1;
            ordinary - 1
        };
        last = Some(index);
        let a = args.get(index).ok_or_else(|| {
            exc(
                "MissingFormatArgumentException",
                format!("Format specifier '{}'", spec.text),
            )
        })?;
        let text = convert(&spec, a)?;
        pad(&mut out, text, &spec);
    }
    Ok(out)
}

fn parse_spec(chars: &[char], i: &mut usize, start: usize) -> Result<Spec, Thrown> {
    let text_at = |end: usize| {
        chars[start..end.min(chars.len())]
            .iter()
            .collect::<String>()
    };
    // argument index: digits followed by '$', or '<'
    let mut index = None;
    let mut relative = false;
    let save = *i;
    let mut j = *i;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    if j > *i && j < chars.len() && chars[j] == '$' {
        let n: usize = chars[*i..j].iter().collect::<String>().parse().unwrap_or(0);
        index = Some(n.max(1));
        *i = j + 1;
    } else {
        *i = save;
    }
    if *i < chars.len() && chars[*i] == '<' {
        relative = true;
        *i += 1;
    }
    let mut flags = String::new();
    while *i < chars.len() && "-#+ 0,(".contains(chars[*i]) {
        if flags.contains(chars[*i]) {
            return Err(exc(
                "DuplicateFormatFlagsException",
                format!("Flags = '{}'", chars[*i]),
            ));
        }
        flags.push(chars[*i]);
        *i += 1;
    }
    let mut width = None;
    let ws = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i > ws {
        width = chars[ws..*i].iter().collect::<String>().parse().ok();
    }
    let mut precision = None;
    if *i < chars.len() && chars[*i] == '.' {
        *i += 1;
        let ps = *i;
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == ps {
            return Err(exc("IllegalFormatPrecisionException", "-1"));
        }
        precision = chars[ps..*i].iter().collect::<String>().parse().ok();
    }
    let Some(&conversion) = chars.get(*i) else {
        return Err(exc("UnknownFormatConversionException", "Conversion = '%'"));
    };
    *i += 1;
    if conversion == 't' || conversion == 'T' {
        return Err(unsupported("date/time conversions (%t) in String.format"));
    }
    if !"sSbBcCdoxXeEfhHn%".contains(conversion) {
        if "gGaA".contains(conversion) {
            return Err(unsupported(format!(
                "the %{conversion} conversion in String.format"
            )));
        }
        return Err(exc(
            "UnknownFormatConversionException",
            format!("Conversion = '{conversion}'"),
        ));
    }
    let text = text_at(*i);
    if flags.contains('-') && width.is_none() {
        return Err(exc("MissingFormatWidthException", text));
    }
    if flags.contains('0') && width.is_none() {
        return Err(exc("MissingFormatWidthException", text));
    }
    Ok(Spec {
        index,
        relative,
        flags,
        width,
        precision,
        conversion,
        text,
    })
}

fn pad(out: &mut String, text: String, spec: &Spec) {
    let len = text.chars().count();
    match spec.width {
        Some(w) if w > len => {
            if spec.flags.contains('-') {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', w - len));
            } else if spec.flags.contains('0') && "doxXeEf".contains(spec.conversion) {
                // zero padding goes after the sign / prefix
                let (prefix, body) = split_sign(&text);
                out.push_str(prefix);
                out.extend(std::iter::repeat_n('0', w - len));
                out.push_str(body);
            } else {
                out.extend(std::iter::repeat_n(' ', w - len));
                out.push_str(&text);
            }
        }
        _ => out.push_str(&text),
    }
}

fn split_sign(s: &str) -> (&str, &str) {
    for p in ["-0x", "0x", "-0X", "0X", "-", "+", " ", "("] {
        if let Some(rest) = s.strip_prefix(p) {
            return (&s[..p.len()], rest);
        }
    }
    ("", s)
}

fn bad_conversion(spec: &Spec, a: &Value) -> Thrown {
    exc(
        "IllegalFormatConversionException",
        format!(
            "{} != {}",
            spec.conversion,
            a.class_name().unwrap_or("null")
        ),
    )
}

fn convert(spec: &Spec, a: &Value) -> Result<String, Thrown> {
    let upper = spec.conversion.is_ascii_uppercase();
    let truncate = |s: String| match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s,
    };
    let text = match spec.conversion.to_ascii_lowercase() {
        's' => truncate(a.java_to_string()),
        'b' => truncate(match a {
            Value::Null => "false".into(),
            Value::Boolean(b) => b.to_string(),
            _ => "true".into(),
        }),
        'h' => truncate(match a {
            Value::Null => "null".into(),
            other => format!("{:x}", other.java_hash_code() as u32),
        }),
        'c' => match a {
            Value::Null => "null".into(),
            Value::Char(c) => String::from_utf16_lossy(&[*c]),
            Value::Int(_) | Value::Short(_) | Value::Byte(_) => {
                let cp = int_of(a)?;
                u32::try_from(cp)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        exc(
                            "IllegalFormatCodePointException",
                            format!("Code point = 0x{cp:x}"),
                        )
                    })?
                    .to_string()
            }
            other => return Err(bad_conversion(spec, other)),
        },
        'd' => {
            let v = match a {
                Value::Null => return Ok("null".into()),
                Value::Int(_) | Value::Long(_) | Value::Short(_) | Value::Byte(_) => long_of(a)?,
                other => return Err(bad_conversion(spec, other)),
            };
            let mut digits = v.unsigned_abs().to_string();
            if spec.flags.contains(',') {
                digits = group(&digits);
            }
            sign(v < 0, digits, &spec.flags)
        }
        'o' | 'x' => {
            let bits: u64 = match a {
                Value::Null => return Ok("null".into()),
                Value::Int(i) => u64::from(*i as u32),
                Value::Long(l) => *l as u64,
                Value::Short(s) => u64::from(*s as u16),
                Value::Byte(b) => u64::from(*b as u8),
                other => return Err(bad_conversion(spec, other)),
            };
            let body = if spec.conversion.eq_ignore_ascii_case(&'x') {
                format!("{bits:x}")
            } else {
                format!("{bits:o}")
            };
            let prefix = if spec.flags.contains('#') {
                if spec.conversion.eq_ignore_ascii_case(&'x') {
                    "0x"
                } else {
                    "0"
                }
            } else {
                ""
            };
            format!("{prefix}{body}")
        }
        'e' | 'f' => {
            let d = match a {
                Value::Null => return Ok("null".into()),
                Value::Double(_) | Value::Float(_) => match a {
                    Value::Float(f) => f64::from(*f),
                    _ => double_of(a)?,
                },
                other => return Err(bad_conversion(spec, other)),
            };
            if d.is_nan() {
                return Ok(if upper { "NAN".into() } else { "NaN".into() });
            }
            if d.is_infinite() {
                let s = if d > 0.0 {
                    if spec.flags.contains('+') {
                        "+Infinity"
                    } else {
                        "Infinity"
                    }
                } else if spec.flags.contains('(') {
                    "(Infinity)"
                } else {
                    "-Infinity"
                };
                return Ok(if upper { s.to_uppercase() } else { s.into() });
            }
            let prec = spec.precision.unwrap_or(6);
            // Float arguments use the float's own shortest digits.
            let sci = match a {
                Value::Float(f) => format!("{:e}", f.abs()),
                _ => format!("{:e}", d.abs()),
            };
            let (mant, exp) = sci.split_once('e').expect("{:e}");
            let digits: Vec<u8> = mant
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect();
            let exp: i32 = exp.parse().unwrap_or(0);
            let body = if spec.conversion.eq_ignore_ascii_case(&'f') {
                let mut s = fixed(&digits, exp, prec);
                if spec.flags.contains(',') {
                    let (int, frac) = s.split_once('.').map_or((s.clone(), None), |(i, f)| {
                        (i.to_owned(), Some(f.to_owned()))
                    });
                    s = match frac {
                        Some(f) => format!("{}.{f}", group(&int)),
                        None => group(&int),
                    };
                }
                s
            } else {
                scientific(&digits, exp, prec, d == 0.0)
            };
            sign(
                d.is_sign_negative() && d != 0.0 || (d == 0.0 && d.is_sign_negative()),
                body,
                &spec.flags,
            )
        }
        _ => unreachable!("conversion checked when parsed"),
    };
    Ok(if upper { text.to_uppercase() } else { text })
}

fn sign(negative: bool, body: String, flags: &str) -> String {
    if negative {
        if flags.contains('(') {
            format!("({body})")
        } else {
            format!("-{body}")
        }
    } else if flags.contains('+') {
        format!("+{body}")
    } else if flags.contains(' ') {
        format!(" {body}")
    } else {
        body
    }
}

/// Groups of three with ',' (the English grouping separator).
fn group(int: &str) -> String {
    let b = int.as_bytes();
    let mut out = String::new();
    for (i, c) in b.iter().enumerate() {
        if i > 0 && (b.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c as char);
    }
    out
}

/// Rounds decimal digits (value = 0.d1d2d3… × 10^(exp+1)) half-up to `keep` digits; returns the
/// digits and whether the rounding carried into a new leading digit.
fn round_half_up(digits: &[u8], keep: usize) -> (Vec<u8>, bool) {
    if digits.len() <= keep {
        let mut d = digits.to_vec();
        d.resize(keep, 0);
        return (d, false);
    }
    let mut d = digits[..keep].to_vec();
    if digits[keep] >= 5 {
        let mut i = d.len();
        loop {
            if i == 0 {
                d.insert(0, 1);
                return (d, true);
            }
            i -= 1;
            if d[i] == 9 {
                d[i] = 0;
            } else {
                d[i] += 1;
                break;
            }
        }
    }
    (d, false)
}

/// `%.{prec}f` of the shortest digits `digits` with decimal exponent `exp`.
fn fixed(digits: &[u8], exp: i32, prec: usize) -> String {
    // Number of integer digits.
    let int_len = exp + 1;
    // Digits kept: integer digits plus `prec` fraction digits.
    let keep = int_len + prec as i32;
    let (kept, carried) = if keep < 0 {
        (vec![], false)
    } else {
        round_half_up(digits, keep as usize)
    };
    let mut int_len = int_len;
    if carried {
        int_len += 1;
    }
    let mut all: Vec<u8> = Vec::new();
    if keep < 0 {
        all = vec![0; prec];
        int_len = 0;
    } else if int_len < 0 {
        // leading zeros after the point
        let zeros = (-int_len) as usize;
        all.extend(std::iter::repeat_n(0, zeros));
        all.extend(&kept);
        all.truncate(prec);
        while all.len() < prec {
            all.push(0);
        }
        int_len = 0;
    } else {
        all = kept;
    }
    let (ip, fp) = all.split_at((int_len.max(0) as usize).min(all.len()));
    let mut s: String = if ip.is_empty() {
        "0".into()
    } else {
        ip.iter().map(|d| (b'0' + d) as char).collect()
    };
    if prec > 0 {
        s.push('.');
        let mut frac: String = fp.iter().map(|d| (b'0' + d) as char).collect();
        while frac.len() < prec {
            frac.push('0');
        }
        s.push_str(&frac[..prec]);
    }
    s
}

fn scientific(digits: &[u8], exp: i32, prec: usize, zero: bool) -> String {
    if zero {
        let frac = "0".repeat(prec);
        return if prec > 0 {
            format!("0.{frac}e+00")
        } else {
            "0e+00".into()
        };
    }
    let (kept, carried) = round_half_up(digits, prec + 1);
    let exp = if carried { exp + 1 } else { exp };
    let kept = &kept[..prec + 1];
    let mut s = String::new();
    s.push((b'0' + kept[0]) as char);
    if prec > 0 {
        s.push('.');
        s.extend(kept[1..].iter().map(|d| (b'0' + d) as char));
    }
    s.push('e');
    s.push(if exp < 0 { '-' } else { '+' });
    s.push_str(&format!("{:02}", exp.abs()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, args: &[Value]) -> String {
        format(fmt, args).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn formats_as_java() {
        assert_eq!(f("%s-%s", &[Value::from("a"), Value::Int(1)]), "a-1");
        assert_eq!(
            f(
                "%5d|%-5d|%05d",
                &[Value::Int(42), Value::Int(42), Value::Int(-42)]
            ),
            "   42|42   |-0042"
        );
        assert_eq!(f("%,d", &[Value::Long(1234567)]), "1,234,567");
        assert_eq!(
            f(
                "%x %X %#x",
                &[Value::Int(-1), Value::Int(255), Value::Int(255)]
            ),
            "ffffffff FF 0xff"
        );
        assert_eq!(f("%.2f", &[Value::Double(1.23456)]), "1.23");
        assert_eq!(
            f("%.1f", &[Value::Double(0.25)]),
            "0.3",
            "half-up on the shortest digits"
        );
        assert_eq!(f("%.1f", &[Value::Double(0.15)]), "0.2");
        assert_eq!(f("%f", &[Value::Double(1.0)]), "1.000000");
        assert_eq!(f("%.0f", &[Value::Double(9.5)]), "10");
        assert_eq!(f("%.3f", &[Value::Double(0.0005)]), "0.001");
        assert_eq!(f("%.2f", &[Value::Double(0.001)]), "0.00");
        assert_eq!(f("%e", &[Value::Double(12345.678)]), "1.234568e+04");
        assert_eq!(
            f("%2$s %1$s %<s", &[Value::from("a"), Value::from("b")]),
            "b a a"
        );
        assert_eq!(
            f("%b %c %% %n", &[Value::Null, Value::Char(65)]),
            "false A % \n"
        );
        assert_eq!(f("%S", &[Value::from("abc")]), "ABC");
        let Err(Thrown::Exception(e)) = format("%d", &[Value::from("x")]) else {
            panic!()
        };
        assert_eq!(
            e.to_string(),
            "IllegalFormatConversionException: d != java.lang.String"
        );
        let Err(Thrown::Exception(e)) = format("%s %s", &[Value::from("x")]) else {
            panic!()
        };
        assert_eq!(
            e.to_string(),
            "MissingFormatArgumentException: Format specifier '%s'"
        );
    }
}
