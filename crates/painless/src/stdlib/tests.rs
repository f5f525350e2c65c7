use super::*;
use crate::allowlist::for_context;
use crate::Context;

/// A host for tests: calls a `TestFn` object (a Rust closure standing for a lambda).
pub(crate) struct TestHost {
    pub ticks: u32,
}

pub(crate) struct TestFn(pub fn(&[Value]) -> Value);

impl crate::value::JavaObject for TestFn {
    fn class_name(&self) -> &str {
        "java.util.function.Function"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn java_to_string(&self) -> String {
        "lambda".into()
    }
}

impl Host for TestHost {
    fn call(&mut self, function: &Value, args: &[Value]) -> Result<Value, Thrown> {
        match function {
            Value::Object(o) => match o.as_any().downcast_ref::<TestFn>() {
                Some(f) => Ok((f.0)(args)),
                None => Err(Thrown::Unsupported("not a test function".into())),
            },
            _ => Err(Thrown::Unsupported("not a function".into())),
        }
    }
    fn tick(&mut self) -> Result<(), Thrown> {
        self.ticks += 1;
        Ok(())
    }
}

pub(crate) fn lambda(f: fn(&[Value]) -> Value) -> Value {
    Value::Object(std::rc::Rc::new(TestFn(f)))
}

/// Calls `Class.name` with the receiver and arguments, through the allowlist as the interpreter
/// does: instance method on the receiver's class, else static method, else constructor
/// (`name == "new"`).
pub(crate) fn call(
    class: &str,
    name: &str,
    recv: Option<Value>,
    args: &[Value],
) -> Result<Value, Thrown> {
    let al = for_context(Context::Ingest);
    let method = match (&recv, name) {
        (_, "new") => al.constructor(al.class_by_name(class).expect("class").id, args.len()),
        (Some(r), _) => al.method(al.class_of(r), name, args.len()),
        (None, _) => al.static_method(al.class_by_name(class).expect("class").id, name, args.len()),
    }
    .unwrap_or_else(|| panic!("{class}.{name}/{} is not allowlisted", args.len()));
    let f = resolve(method)
        .unwrap_or_else(|| panic!("{class}.{name}/{} is not implemented", args.len()));
    f(recv.as_ref(), args, &mut TestHost { ticks: 0 })
}

pub(crate) fn ok(class: &str, name: &str, recv: Option<Value>, args: &[Value]) -> Value {
    match call(class, name, recv, args) {
        Ok(v) => v,
        Err(e) => panic!("{class}.{name} threw {e:?}"),
    }
}

pub(crate) fn thrown(class: &str, name: &str, recv: Option<Value>, args: &[Value]) -> String {
    match call(class, name, recv, args) {
        Ok(v) => panic!("{class}.{name} returned {v:?}"),
        Err(Thrown::Exception(e)) => e.to_string(),
        Err(Thrown::Unsupported(u)) => format!("unsupported: {u}"),
    }
}

pub(crate) fn s(v: &str) -> Value {
    Value::from(v)
}

#[test]
fn string_methods_of_the_bundled_pipelines() {
    assert_eq!(
        ok(
            "String",
            "substring",
            Some(s("hello")),
            &[Value::Int(1), Value::Int(3)]
        )
        .java_to_string(),
        "el"
    );
    assert_eq!(
        thrown(
            "String",
            "substring",
            Some(s("abc")),
            &[Value::Int(0), Value::Int(9)]
        ),
        "StringIndexOutOfBoundsException: begin 0, end 9, length 3"
    );
    assert_eq!(
        ok("String", "indexOf", Some(s("a.b.c")), &[s(".")]).java_to_string(),
        "1"
    );
    assert_eq!(
        ok("String", "lastIndexOf", Some(s("a.b.c")), &[s(".")]).java_to_string(),
        "3"
    );
    assert_eq!(
        ok("String", "startsWith", Some(s("arn:aws")), &[s("arn:")]).java_to_string(),
        "true"
    );
    assert_eq!(
        ok("String", "contains", Some(s("abc")), &[s("bc")]).java_to_string(),
        "true"
    );
    assert_eq!(
        ok("String", "trim", Some(s(" \tx \n")), &[]).java_to_string(),
        "x"
    );
    assert_eq!(
        ok("String", "length", Some(s("héllo")), &[]).java_to_string(),
        "5"
    );
    assert_eq!(
        ok("String", "charAt", Some(s("abc")), &[Value::Int(1)]).java_to_string(),
        "b"
    );
    assert_eq!(
        thrown("String", "charAt", Some(s("abc")), &[Value::Int(5)]),
        "StringIndexOutOfBoundsException: Index 5 out of bounds for length 3"
    );
    assert_eq!(
        ok("String", "valueOf", None, &[Value::Double(1.0)]).java_to_string(),
        "1.0"
    );
    assert_eq!(
        ok("String", "toLowerCase", Some(s("TCP")), &[]).java_to_string(),
        "tcp"
    );
    assert_eq!(
        ok("String", "replace", Some(s("a-b-c")), &[s("-"), s("")]).java_to_string(),
        "abc"
    );
}

#[test]
fn number_parsing_as_java() {
    assert!(matches!(
        ok("Integer", "parseInt", None, &[s("-42")]),
        Value::Int(-42)
    ));
    assert_eq!(
        thrown("Integer", "parseInt", None, &[s("x")]),
        "NumberFormatException: For input string: \"x\""
    );
    assert_eq!(
        thrown("Integer", "parseInt", None, &[s("2147483648")]),
        "NumberFormatException: For input string: \"2147483648\""
    );
    assert_eq!(
        thrown("Integer", "parseInt", None, &[s("ff"), Value::Int(10)]),
        "NumberFormatException: For input string: \"ff\""
    );
    assert!(matches!(
        ok("Integer", "parseInt", None, &[s("ff"), Value::Int(16)]),
        Value::Int(255)
    ));
    assert!(matches!(
        ok("Long", "parseLong", None, &[s("+9000000000")]),
        Value::Long(9_000_000_000)
    ));
    assert!(
        matches!(ok("Double", "parseDouble", None, &[s(" 1.5e3 ")]), Value::Double(d) if d == 1500.0)
    );
    assert_eq!(
        thrown("Double", "parseDouble", None, &[s("inf")]),
        "NumberFormatException: For input string: \"inf\""
    );
    assert_eq!(
        thrown("Double", "parseDouble", None, &[s("")]),
        "NumberFormatException: empty String"
    );
    assert!(
        matches!(ok("Double", "parseDouble", None, &[s("-Infinity")]), Value::Double(d) if d == f64::NEG_INFINITY)
    );
}

#[test]
fn lists_and_maps() {
    let l = ok("ArrayList", "new", None, &[]);
    ok("ArrayList", "add", Some(l.clone()), &[s("a")]);
    ok("ArrayList", "add", Some(l.clone()), &[s("b")]);
    assert_eq!(
        ok("ArrayList", "size", Some(l.clone()), &[]).java_to_string(),
        "2"
    );
    assert_eq!(
        thrown("ArrayList", "get", Some(l.clone()), &[Value::Int(5)]),
        "IndexOutOfBoundsException: Index 5 out of bounds for length 2"
    );
    assert_eq!(l.java_to_string(), "[a, b]");
    let m = ok("HashMap", "new", None, &[]);
    ok("HashMap", "put", Some(m.clone()), &[s("k"), Value::Int(1)]);
    assert_eq!(
        ok(
            "HashMap",
            "getOrDefault",
            Some(m.clone()),
            &[s("x"), Value::Int(7)]
        )
        .java_to_string(),
        "7"
    );
    assert_eq!(
        ok("HashMap", "containsKey", Some(m.clone()), &[s("k")]).java_to_string(),
        "true"
    );
    assert_eq!(
        ok("HashMap", "keySet", Some(m.clone()), &[]).java_to_string(),
        "[k]"
    );
    m.set_frozen(true);
    assert_eq!(
        thrown("HashMap", "put", Some(m.clone()), &[s("k"), Value::Int(2)]),
        "UnsupportedOperationException: Mutating ingest documents in conditionals is not supported"
    );
}

#[test]
fn remove_if_and_sort_call_the_function() {
    let l = Value::list_from(vec![Value::Int(3), Value::Int(1), Value::Int(2)]);
    ok(
        "ArrayList",
        "removeIf",
        Some(l.clone()),
        &[lambda(|a| Value::Boolean(matches!(a[0], Value::Int(1))))],
    );
    assert_eq!(l.java_to_string(), "[3, 2]");
    ok("ArrayList", "sort", Some(l.clone()), &[Value::Null]);
    assert_eq!(l.java_to_string(), "[2, 3]");
}

/// Allowlisted methods per class and how many have a native implementation, by package. Run
/// with `cargo test -p painless --lib coverage_report -- --nocapture` to print the table of the
/// README section (`COVERAGE_MISSING=1` lists the missing methods).
#[test]
fn coverage_report() {
    let al = for_context(Context::Ingest);
    let mut rows: std::collections::BTreeMap<String, (usize, usize, Vec<String>)> =
        Default::default();
    for m in al.methods() {
        let class = al.class(m.class);
        if class.hidden {
            continue;
        }
        let row = rows.entry(class.java_name.clone()).or_default();
        row.0 += 1;
        if resolve(m).is_some() {
            row.1 += 1;
        } else {
            row.2.push(format!("{}/{}", m.name, m.params.len()));
        }
    }
    let (mut fields, mut fields_done) = (0, 0);
    for c in al.classes() {
        if c.hidden {
            continue;
        }
        for name in c_fields(al, c.id) {
            fields += 1;
            if static_field(al.field(c.id, &name).expect("listed")).is_some() {
                fields_done += 1;
            }
        }
    }
    let mut packages: std::collections::BTreeMap<String, (usize, usize, usize, usize)> =
        Default::default();
    for (class, (n, k, _)) in &rows {
        let pkg = class.rsplit_once('.').map_or("", |(p, _)| p).to_owned();
        let e = packages.entry(pkg).or_default();
        e.0 += 1;
        e.1 += usize::from(*k == *n);
        e.2 += n;
        e.3 += k;
    }
    println!("| package | classes | fully implemented | methods | implemented |");
    println!("|---|---:|---:|---:|---:|");
    let (mut total, mut done) = (0, 0);
    for (pkg, (c, full, n, k)) in &packages {
        total += n;
        done += k;
        println!("| `{pkg}` | {c} | {full} | {n} | {k} |");
    }
    println!("| **total** | {} | | {total} | {done} |", rows.len());
    println!(
        "skipped (java.text types not available offline): {}",
        al.skipped().len()
    );
    println!("static fields: {fields_done}/{fields} implemented");
    println!();
    for (class, (n, k, missing)) in &rows {
        if std::env::var("COVERAGE_MISSING").is_ok() && !missing.is_empty() {
            println!("{class}: {k}/{n} missing {}", missing.join(" "));
        } else {
            println!("{class}: {k}/{n}");
        }
    }
    assert!(done > 0);
}

fn c_fields(al: &crate::allowlist::Allowlist, id: crate::allowlist::ClassId) -> Vec<String> {
    al.fields()
        .iter()
        .filter(|f| f.class == id)
        .map(|f| f.name.clone())
        .collect()
}

#[test]
fn tree_maps_navigate_and_linked_lists_are_deques() {
    let m = ok("TreeMap", "new", None, &[]);
    for k in ["b", "d", "a"] {
        ok("TreeMap", "put", Some(m.clone()), &[s(k), Value::Int(1)]);
    }
    assert_eq!(
        ok("TreeMap", "firstKey", Some(m.clone()), &[]).java_to_string(),
        "a"
    );
    assert_eq!(
        ok("TreeMap", "ceilingKey", Some(m.clone()), &[s("c")]).java_to_string(),
        "d"
    );
    assert_eq!(
        ok("TreeMap", "floorKey", Some(m.clone()), &[s("c")]).java_to_string(),
        "b"
    );
    assert_eq!(
        ok("TreeMap", "headMap", Some(m.clone()), &[s("d")]).java_to_string(),
        "{a=1, b=1}"
    );
    assert_eq!(
        ok("TreeMap", "lastEntry", Some(m.clone()), &[]).java_to_string(),
        "d=1"
    );
    let l = ok("LinkedList", "new", None, &[]);
    ok("LinkedList", "push", Some(l.clone()), &[Value::Int(1)]);
    ok("LinkedList", "addLast", Some(l.clone()), &[Value::Int(2)]);
    ok("LinkedList", "addFirst", Some(l.clone()), &[Value::Int(0)]);
    assert_eq!(l.java_to_string(), "[0, 1, 2]");
    assert_eq!(
        ok("LinkedList", "pollLast", Some(l.clone()), &[]).java_to_string(),
        "2"
    );
    assert_eq!(
        ok("LinkedList", "pop", Some(l.clone()), &[]).java_to_string(),
        "0"
    );
    assert_eq!(
        thrown("LinkedList", "get", Some(l), &[Value::Int(3)]),
        "IndexOutOfBoundsException: Index: 3, Size: 1"
    );
}

#[test]
fn map_views_are_live() {
    let m = Value::new_map();
    for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
        ok("HashMap", "put", Some(m.clone()), &[s(k), Value::Int(v)]);
    }
    let keys = ok("HashMap", "keySet", Some(m.clone()), &[]);
    ok(
        "Set",
        "removeIf",
        Some(keys.clone()),
        &[lambda(|a| Value::Boolean(a[0].java_to_string() == "b"))],
    );
    assert_eq!(m.java_to_string(), "{a=1, c=3}");
    assert_eq!(keys.java_to_string(), "[a, c]");
    let entries = ok("HashMap", "entrySet", Some(m.clone()), &[]);
    ok(
        "Set",
        "removeIf",
        Some(entries),
        &[lambda(|a| {
            let Value::Object(o) = &a[0] else {
                return Value::Boolean(false);
            };
            let e = o.as_any().downcast_ref::<MapEntry>().unwrap();
            Value::Boolean(matches!(*e.value.borrow(), Value::Int(3)))
        })],
    );
    assert_eq!(m.java_to_string(), "{a=1}");
    assert_eq!(
        thrown("Set", "add", Some(keys.clone()), &[s("z")]),
        "UnsupportedOperationException"
    );
    // Removing from the map while iterating its key set fails fast, as a HashMap does.
    ok("HashMap", "put", Some(m.clone()), &[s("b"), Value::Int(2)]);
    let it = ok("Set", "iterator", Some(keys), &[]);
    let first = ok("Iterator", "next", Some(it.clone()), &[]);
    ok("HashMap", "remove", Some(m.clone()), &[first]);
    assert_eq!(
        thrown("Iterator", "next", Some(it), &[]),
        "ConcurrentModificationException"
    );
}

#[test]
fn bitsets() {
    let b = ok("BitSet", "new", None, &[]);
    ok("BitSet", "set", Some(b.clone()), &[Value::Int(1)]);
    ok(
        "BitSet",
        "set",
        Some(b.clone()),
        &[Value::Int(3), Value::Int(5)],
    );
    assert_eq!(b.java_to_string(), "{1, 3, 4}");
    assert_eq!(
        ok("BitSet", "cardinality", Some(b.clone()), &[]).java_to_string(),
        "3"
    );
    assert_eq!(
        ok("BitSet", "length", Some(b.clone()), &[]).java_to_string(),
        "5"
    );
    assert_eq!(
        ok("BitSet", "size", Some(b.clone()), &[]).java_to_string(),
        "64"
    );
    assert_eq!(
        ok("BitSet", "nextSetBit", Some(b.clone()), &[Value::Int(2)]).java_to_string(),
        "3"
    );
    assert_eq!(
        thrown("BitSet", "set", Some(b), &[Value::Int(-1)]),
        "IndexOutOfBoundsException: bitIndex < 0: -1"
    );
}

/// `modules/ingest-common/src/yamlRestTest/resources/rest-api-spec/test/ingest/190_script_processor.yml`.
#[test]
fn processors_of_the_script_processor_rest_tests() {
    assert!(matches!(
        ok("Processors", "bytes", None, &[s("1kb")]),
        Value::Long(1024)
    ));
    assert_eq!(
        ok("Processors", "lowercase", None, &[s("FooBar")]).java_to_string(),
        "foobar"
    );
    assert_eq!(
        ok("Processors", "uppercase", None, &[s("FooBar")]).java_to_string(),
        "FOOBAR"
    );
    assert_eq!(
        ok("Processors", "json", None, &[s("{\"foo\":\"bar\"}")]).java_to_string(),
        "{foo=bar}"
    );
    let ctx = Value::new_map();
    ok(
        "HashMap",
        "put",
        Some(ctx.clone()),
        &[s("source_field"), s("{\"foo\":\"bar\"}")],
    );
    ok(
        "Processors",
        "json",
        None,
        &[ctx.clone(), s("source_field")],
    );
    assert_eq!(
        ok("HashMap", "get", Some(ctx), &[s("foo")]).java_to_string(),
        "bar"
    );
    assert_eq!(
        ok("Processors", "urlDecode", None, &[s("foo%20bar")]).java_to_string(),
        "foo bar"
    );
    assert!(for_context(Context::IngestCondition)
        .class_by_name("Processors")
        .is_none());
}

#[test]
fn string_get_chars_and_code_points() {
    let arr = Value::Array(std::rc::Rc::new(std::cell::RefCell::new(
        crate::value::JArray::new("char".into(), vec![Value::Char(u16::from(b'.')); 4]),
    )));
    ok(
        "String",
        "getChars",
        Some(s("hello")),
        &[Value::Int(1), Value::Int(3), arr.clone(), Value::Int(1)],
    );
    let Value::Array(a) = &arr else { panic!() };
    let text: String = a.borrow().items.iter().map(Value::java_to_string).collect();
    assert_eq!(text, ".el.");
    assert_eq!(
        ok(
            "String",
            "offsetByCodePoints",
            Some(s("a😀b")),
            &[Value::Int(0), Value::Int(2)]
        )
        .java_to_string(),
        "3"
    );
}
