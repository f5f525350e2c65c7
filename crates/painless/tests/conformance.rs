//! Upstream's Painless tests as data (`shared/conformance/painless/cases.yaml` and
//! `cases-more.yaml`, extracted from `modules/lang-painless/src/test/java/org/opensearch/painless/*Tests.java`):
//! every case is run, its result compared (value and Java type, or the exception class and
//! message). Cases that need upstream's test-only allowlist are not applicable; a case whose
//! script uses something this engine does not implement is counted as unsupported, by reason,
//! never as a pass. `PAINLESS_WRITE_SUMMARY=1` rewrites `tests/conformance-summary.txt` with the summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use painless::{Context, Options, RegexSetting, Script, Value};
use serde::Deserialize;

/// The number of passing cases this crate must not fall below (raise it as support grows).
const FLOOR: usize = 6182;

#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Y>),
    Map(BTreeMap<String, Y>),
}

#[derive(Deserialize, Debug)]
struct Case {
    source_file: String,
    line: u32,
    script: String,
    expect: Expect,
    #[serde(default)]
    params: Option<BTreeMap<String, Y>>,
    #[serde(default)]
    params_types: Option<BTreeMap<String, String>>,
    #[serde(default)]
    settings: Option<BTreeMap<String, Y>>,
    #[serde(default)]
    needs_test_allowlist: Option<Y>,
    #[serde(default)]
    allowlist: Option<Y>,
}

#[derive(Deserialize, Debug)]
struct Expect {
    #[serde(default)]
    value: Option<Y>,
    #[serde(default, rename = "type")]
    ty: Option<String>,
    #[serde(default)]
    delta: Option<f64>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    message_contains: Option<String>,
    #[serde(default)]
    message_ends_with: Option<String>,
    #[serde(default)]
    message_starts_with: Option<String>,
}

fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("SIEMCTL_SHARED") {
        return Some(PathBuf::from(dir).join("conformance/painless"));
    }
    // `../../../shared` from the crate in the main checkout; worktrees sit one level deeper.
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .skip(3)
        .map(|a| a.join("shared/conformance/painless"))
        .find(|d| d.exists())
}

enum Outcome {
    Pass,
    Fail(String),
    Unsupported(String),
    NotApplicable,
}

const UNSUPPORTED: &str = "not supported by siemctl's offline Painless: ";

fn unsupported_reason(message: &str) -> Option<String> {
    let rest = message.strip_prefix(UNSUPPORTED)?;
    Some(rest.to_owned())
}

fn param_value(y: &Y, ty: Option<&str>) -> Value {
    match (y, ty) {
        (Y::Null, _) => Value::Null,
        (Y::Bool(b), _) => Value::Boolean(*b),
        (Y::Int(i), Some("long")) => Value::Long(*i),
        (Y::Int(i), Some("double")) => Value::Double(*i as f64),
        (Y::Int(i), _) => Value::Int(*i as i32),
        (Y::Float(f), Some("float")) => Value::Float(*f as f32),
        (Y::Float(f), _) => Value::Double(*f),
        (Y::Str(s), _) => Value::string(s.as_str()),
        (Y::List(items), _) => {
            Value::list_from(items.iter().map(|i| param_value(i, None)).collect())
        }
        (Y::Map(m), _) => {
            let v = Value::new_map();
            if let Value::Map(mr) = &v {
                for (k, x) in m {
                    mr.borrow_mut().insert_str(k, param_value(x, None));
                }
            }
            v
        }
    }
}

fn same_loose(v: &Value, y: &Y) -> bool {
    match (v, y) {
        (Value::Null, Y::Null) => true,
        (Value::Boolean(a), Y::Bool(b)) => a == b,
        (Value::String(a), Y::Str(b)) => &**a == b,
        (Value::Char(c), Y::Str(b)) => String::from_utf16_lossy(&[*c]) == *b,
        (Value::Int(a), Y::Int(b)) => i64::from(*a) == *b,
        (Value::Long(a), Y::Int(b)) => a == b,
        (Value::Short(a), Y::Int(b)) => i64::from(*a) == *b,
        (Value::Byte(a), Y::Int(b)) => i64::from(*a) == *b,
        (Value::Double(a), Y::Float(b)) => a == b,
        (Value::Float(a), Y::Float(b)) => *a == *b as f32,
        (Value::List(l), Y::List(items)) => {
            let l = l.borrow();
            l.items.len() == items.len() && l.items.iter().zip(items).all(|(a, b)| same_loose(a, b))
        }
        (Value::Map(m), Y::Map(entries)) => {
            let m = m.borrow();
            m.len() == entries.len()
                && entries
                    .iter()
                    .all(|(k, y)| m.get_str(k).is_some_and(|v| same_loose(v, y)))
        }
        _ => false,
    }
}

fn check_value(v: &Value, e: &Expect) -> Result<(), String> {
    let ty = e.ty.as_deref().unwrap_or("");
    let expected = e.value.clone().unwrap_or(Y::Null);
    let ok = match (ty, v, &expected) {
        ("null", Value::Null, _) => true,
        ("int", Value::Int(a), Y::Int(b)) => i64::from(*a) == *b,
        ("long", Value::Long(a), Y::Int(b)) => a == b,
        ("short", Value::Short(a), Y::Int(b)) => i64::from(*a) == *b,
        ("byte", Value::Byte(a), Y::Int(b)) => i64::from(*a) == *b,
        ("char", Value::Char(a), Y::Str(b)) => String::from_utf16_lossy(&[*a]) == *b,
        ("boolean", Value::Boolean(a), Y::Bool(b)) => a == b,
        ("String", Value::String(a), Y::Str(b)) => &**a == b,
        ("float", Value::Float(a), Y::Float(b)) => {
            if b.is_nan() {
                a.is_nan()
            } else if let Some(d) = e.delta {
                (f64::from(*a) - b).abs() <= d
            } else {
                *a == *b as f32
            }
        }
        ("float", Value::Float(a), Y::Int(b)) => *a == *b as f32,
        ("double", Value::Double(a), Y::Float(b)) => {
            if b.is_nan() {
                a.is_nan()
            } else if let Some(d) = e.delta {
                (a - b).abs() <= d
            } else {
                a == b
            }
        }
        ("double", Value::Double(a), Y::Int(b)) => *a == *b as f64,
        ("List", Value::List(_), _) => same_loose(v, &expected),
        ("Map", Value::Map(_), _) => same_loose(v, &expected),
        ("Set", Value::Set(s), Y::List(items)) => {
            let mut got: Vec<String> = s.borrow().iter().map(|x| x.java_to_string()).collect();
            got.sort();
            let mut want: Vec<String> = items
                .iter()
                .map(|y| match y {
                    Y::Str(s) => s.clone(),
                    Y::Int(i) => i.to_string(),
                    other => format!("{other:?}"),
                })
                .collect();
            want.sort();
            got == want
        }
        ("ZonedDateTime", Value::Object(o), Y::Str(b)) => o.java_to_string() == *b,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected {ty} {expected:?}, got {v:?} ({:?})",
            v.class_name()
        ))
    }
}

#[allow(clippy::result_large_err)]
fn run_case(c: &Case) -> Outcome {
    if c.needs_test_allowlist.is_some() {
        return Outcome::NotApplicable;
    }
    if c.allowlist.is_some() {
        // The ingest allowlist (String.sha1/sha256) exists only in the ingest context, whose
        // scripts return nothing: the case's result cannot be observed through the public API.
        return Outcome::Unsupported(
            "the ingest allowlist in a script that returns a value (painless_test context)".into(),
        );
    }
    let mut options = Options {
        context: Context::PainlessTest,
        ..Options::default()
    };
    if let Some(settings) = &c.settings {
        if let Some(Y::Bool(true)) = settings.get("script.painless.regex.enabled") {
            options.regex = RegexSetting::Enabled;
        }
    }
    let params = match &c.params {
        Some(p) => {
            let v = Value::new_map();
            if let Value::Map(m) = &v {
                for (k, y) in p {
                    let ty = c
                        .params_types
                        .as_ref()
                        .and_then(|t| t.get(k))
                        .map(String::as_str);
                    m.borrow_mut().insert_str(k, param_value(y, ty));
                }
            }
            v
        }
        None => Value::Null,
    };
    let result = Script::compile(&c.script, &options).and_then(|s| s.execute(&params, None));
    match result {
        Ok(v) => {
            if let Some(e) = &c.expect.error {
                return Outcome::Fail(format!("expected {e}, got value {v:?}"));
            }
            match check_value(&v, &c.expect) {
                Ok(()) => Outcome::Pass,
                Err(m) => Outcome::Fail(m),
            }
        }
        Err(err) => {
            let message = err.caused_by.message.clone().unwrap_or_default();
            if let Some(reason) = unsupported_reason(&message) {
                return Outcome::Unsupported(reason);
            }
            let Some(expected) = &c.expect.error else {
                return Outcome::Fail(format!("unexpected {}: {message}", err.caused_by.class));
            };
            if *err.caused_by.class != **expected {
                return Outcome::Fail(format!(
                    "expected {expected}, got {}: {message}",
                    err.caused_by.class
                ));
            }
            let e = &c.expect;
            let message_ok = e.message.as_ref().is_none_or(|m| *m == message)
                && e.message_contains
                    .as_ref()
                    .is_none_or(|m| message.contains(m.as_str()))
                && e.message_ends_with
                    .as_ref()
                    .is_none_or(|m| message.ends_with(m.as_str()))
                && e.message_starts_with
                    .as_ref()
                    .is_none_or(|m| message.starts_with(m.as_str()));
            if message_ok {
                Outcome::Pass
            } else {
                Outcome::Fail(format!(
                    "{expected} with message {message:?}, expected {e:?}"
                ))
            }
        }
    }
}

/// Groups an unsupported reason: the class and method (`String.sha1/0`), not its details.
fn reason_key(reason: &str) -> String {
    reason.chars().take(80).collect()
}

#[test]
fn upstream_painless_cases() {
    let Some(dir) = shared_dir() else {
        println!(
            "skipped: upstream Painless cases not found (set SIEMCTL_SHARED or place shared/ beside the repository)"
        );
        return;
    };
    // Deep scripts recurse in the interpreter: a large stack, as the JVM's.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || run_all(&dir))
        .expect("thread");
    handle.join().expect("conformance run");
}

fn run_all(dir: &std::path::Path) {
    #[derive(Default)]
    struct Tally {
        pass: usize,
        fail: usize,
        unsupported: usize,
        na: usize,
    }
    let mut by_file: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = Tally::default();
    let mut failures = String::new();
    let mut per_source: Vec<(String, Tally)> = Vec::new();
    for name in ["cases.yaml", "cases-more.yaml"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("cases file");
        let mut options = serde_saphyr::Options::default();
        options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
        let cases: Vec<Case> =
            serde_saphyr::from_str_with_options(&text, options).expect("cases parse");
        let mut file_tally = Tally::default();
        for c in &cases {
            let outcome = run_case(c);
            let t = by_file.entry(c.source_file.clone()).or_default();
            match outcome {
                Outcome::Pass => {
                    t.pass += 1;
                    total.pass += 1;
                    file_tally.pass += 1;
                }
                Outcome::Fail(m) => {
                    t.fail += 1;
                    total.fail += 1;
                    file_tally.fail += 1;
                    let _ = writeln!(
                        failures,
                        "{}:{}: {}\n    {}",
                        c.source_file,
                        c.line,
                        c.script.replace('\n', "\\n"),
                        m
                    );
                }
                Outcome::Unsupported(r) => {
                    t.unsupported += 1;
                    total.unsupported += 1;
                    file_tally.unsupported += 1;
                    *by_reason.entry(reason_key(&r)).or_default() += 1;
                }
                Outcome::NotApplicable => {
                    t.na += 1;
                    total.na += 1;
                    file_tally.na += 1;
                }
            }
        }
        per_source.push((name.to_owned(), file_tally));
    }
    let applicable = total.pass + total.fail + total.unsupported;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Upstream Painless cases (cargo test -p painless --test conformance -- --nocapture)\n"
    );
    let _ = writeln!(
        out,
        "total: {} applicable, {} pass ({:.1}%), {} fail, {} unsupported; {} not applicable (upstream test allowlist)\n",
        applicable,
        total.pass,
        100.0 * total.pass as f64 / applicable.max(1) as f64,
        total.fail,
        total.unsupported,
        total.na
    );
    let _ = writeln!(
        out,
        "{:<14} {:>6} {:>6} {:>6} {:>6}",
        "file", "pass", "fail", "unsup", "n/a"
    );
    for (name, t) in &per_source {
        let _ = writeln!(
            out,
            "{:<14} {:>6} {:>6} {:>6} {:>6}",
            name, t.pass, t.fail, t.unsupported, t.na
        );
    }
    let _ = writeln!(
        out,
        "\n{:<32} {:>6} {:>6} {:>6} {:>6}",
        "upstream test class", "pass", "fail", "unsup", "n/a"
    );
    for (name, t) in &by_file {
        let _ = writeln!(
            out,
            "{:<32} {:>6} {:>6} {:>6} {:>6}",
            name, t.pass, t.fail, t.unsupported, t.na
        );
    }
    let _ = writeln!(out, "\nunsupported, by reason:");
    let mut reasons: Vec<_> = by_reason.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (r, n) in reasons {
        let _ = writeln!(out, "{n:>6}  {r}");
    }
    println!("{out}");
    // The committed summary is rewritten only on request, so that a test run leaves the source
    // tree as it was (CI checks out a clean clone; parallel runs would race on the file).
    if std::env::var_os("PAINLESS_WRITE_SUMMARY").is_some() {
        let summary =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-summary.txt");
        std::fs::write(&summary, &out).expect("write summary");
    }
    if let Ok(path) = std::env::var("PAINLESS_FAILURES") {
        std::fs::write(path, &failures).expect("write failures");
    }
    assert!(
        total.pass >= FLOOR,
        "{} cases pass, below the floor of {FLOOR}",
        total.pass
    );
}
