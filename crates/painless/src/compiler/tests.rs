//! The compiler and interpreter against behaviours of upstream Painless that the conformance
//! data does not cover: contexts, error shapes, the lexer's regex rule.

use crate::value::{from_json, to_json, Value};
use crate::{Context, Options, RegexSetting, Script};

fn opts(context: Context) -> Options {
    Options {
        context,
        ..Options::default()
    }
}

#[allow(clippy::result_large_err)]
fn run_test(src: &str) -> Result<Value, crate::ScriptError> {
    Script::compile(src, &opts(Context::PainlessTest))?.execute(&Value::Null, None)
}

fn doc(json: serde_json::Value) -> Value {
    from_json(&json)
}

#[test]
fn script_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Script>();
}

#[test]
fn a_slash_after_a_value_divides_and_elsewhere_starts_a_regex() {
    // EnhancedPainlessLexer.isSlashRegex
    assert!(matches!(
        run_test("int x = 12; return x / 2 / 3").unwrap(),
        Value::Int(2)
    ));
    assert!(matches!(
        run_test("return (12) / 4").unwrap(),
        Value::Int(3)
    ));
    let v = Script::compile(
        "return /a+b/.matcher('xaab').find()",
        &Options {
            regex: RegexSetting::Enabled,
            ..opts(Context::PainlessTest)
        },
    )
    .unwrap()
    .execute(&Value::Null, None)
    .unwrap();
    assert!(matches!(v, Value::Boolean(true)));
}

#[test]
fn regexes_disabled_is_a_compile_error() {
    let e = Script::compile(
        "return 'a' ==~ /a/",
        &Options {
            regex: RegexSetting::Disabled,
            ..opts(Context::PainlessTest)
        },
    )
    .unwrap_err();
    assert_eq!(e.reason, "compile error");
    assert!(e
        .caused_by
        .message
        .as_deref()
        .unwrap()
        .starts_with("Regexes are disabled."));
}

#[test]
fn ingest_scripts_change_the_document_and_return_null() {
    let ctx = doc(serde_json::json!({"a": {"b": 1}, "tags": ["x"]}));
    let s = Script::compile(
        "ctx.a.c = ctx.a.b + 1; ctx.tags.add('y'); ctx['new'] = [1, 2]",
        &opts(Context::Ingest),
    )
    .unwrap();
    let r = s.execute(&Value::Null, Some(&ctx)).unwrap();
    assert!(r.is_null());
    assert_eq!(
        to_json(&ctx).unwrap(),
        serde_json::json!({"a": {"b": 1, "c": 2}, "tags": ["x", "y"], "new": [1, 2]})
    );
}

#[test]
fn conditions_see_a_read_only_document_and_give_it_back_writable() {
    let ctx = doc(serde_json::json!({"a": {"b": 1}}));
    let s = Script::compile("ctx.a.b = 2; return true", &opts(Context::IngestCondition)).unwrap();
    let e = s.execute(&Value::Null, Some(&ctx)).unwrap_err();
    assert_eq!(e.reason, "runtime error");
    assert_eq!(&*e.caused_by.class, "UnsupportedOperationException");
    assert_eq!(
        e.caused_by.message.as_deref(),
        Some("Mutating ingest documents in conditionals is not supported")
    );
    // Unfrozen after the error.
    let w = Script::compile("ctx.a.b = 3", &opts(Context::Ingest)).unwrap();
    w.execute(&Value::Null, Some(&ctx)).unwrap();
    assert_eq!(to_json(&ctx).unwrap(), serde_json::json!({"a": {"b": 3}}));
    // A condition's result is a boolean.
    let c = Script::compile("ctx.a.b == 3", &opts(Context::IngestCondition)).unwrap();
    assert!(matches!(
        c.execute(&Value::Null, Some(&ctx)).unwrap(),
        Value::Boolean(true)
    ));
}

#[test]
fn params_are_read_only() {
    let params = doc(serde_json::json!({"x": 1}));
    let s = Script::compile("params.y = 2", &opts(Context::Ingest)).unwrap();
    let ctx = Value::new_map();
    let e = s.execute(&params, Some(&ctx)).unwrap_err();
    assert_eq!(&*e.caused_by.class, "UnsupportedOperationException");
    // and stay a HashMap for the caller
    assert_eq!(params.class_name(), Some("java.util.HashMap"));
}

#[test]
fn the_loop_counter_stops_runaway_loops() {
    let e = run_test("int i = 0; while (true) { i++ } return i").unwrap_err();
    assert_eq!(&*e.caused_by.class, "PainlessError");
    assert_eq!(
        e.caused_by.message.as_deref(),
        Some("The maximum number of statements that can be executed in a loop has been reached.")
    );
}

#[test]
fn compile_errors_render_as_opensearch_does() {
    let e = Script::compile("int x = 1;\nreturn y + x;", &opts(Context::PainlessTest)).unwrap_err();
    let json = e.to_json();
    assert_eq!(json["type"], "script_exception");
    assert_eq!(json["reason"], "compile error");
    assert_eq!(json["lang"], "painless");
    assert_eq!(json["script"], "int x = 1;\nreturn y + x;");
    assert_eq!(json["caused_by"]["type"], "illegal_argument_exception");
    assert_eq!(json["caused_by"]["reason"], "cannot resolve symbol [y]");
    assert_eq!(json["position"]["offset"], 18);
    assert_eq!(json["position"]["start"], 0);
    assert_eq!(json["script_stack"][0], "int x = 1;\nreturn y + x;");
    assert_eq!(
        json["script_stack"][1],
        format!("{}^---- HERE", " ".repeat(18))
    );
}

#[test]
fn runtime_errors_point_into_their_statement() {
    let src = "def a = [1]; def b = a[3]; return b";
    let e = run_test(src).unwrap_err();
    let json = e.to_json();
    assert_eq!(json["reason"], "runtime error");
    assert_eq!(json["caused_by"]["type"], "index_out_of_bounds_exception");
    assert_eq!(
        json["caused_by"]["reason"],
        "Index 3 out of bounds for length 1"
    );
    // The statement `def b = a[3]; ` from its start to the next statement.
    assert_eq!(json["script_stack"][0], "def b = a[3]; ");
    assert_eq!(json["script_stack"][1], "         ^---- HERE");
    assert_eq!(json["position"]["offset"], 22);
    assert_eq!(json["position"]["start"], 13);
}

#[test]
fn unknown_methods_on_static_types_are_compile_errors_and_on_def_runtime_errors() {
    let e = run_test("String s = 'a'; return s.bogus()").unwrap_err();
    assert_eq!(e.reason, "compile error");
    assert_eq!(
        e.caused_by.message.as_deref(),
        Some("method [java.lang.String, bogus/0] not found")
    );
    let e = run_test("def s = 'a'; return s.bogus()").unwrap_err();
    assert_eq!(e.reason, "runtime error");
    assert_eq!(&*e.caused_by.class, "IllegalArgumentException");
    assert_eq!(
        e.caused_by.message.as_deref(),
        Some("dynamic method [java.lang.String, bogus/0] not found")
    );
}

#[test]
fn java_arithmetic() {
    assert!(matches!(
        run_test("int x = 2147483647; return x + 1").unwrap(),
        Value::Int(i32::MIN)
    ));
    let e = run_test("int x = 0; return 1 / x").unwrap_err();
    assert_eq!(&*e.caused_by.class, "ArithmeticException");
    assert_eq!(e.caused_by.message.as_deref(), Some("/ by zero"));
    assert!(matches!(run_test("return 1.0 / 0").unwrap(), Value::Double(f) if f.is_infinite()));
    assert!(
        matches!(run_test("return 'a' + 1.5f + (char) 98").unwrap(), Value::String(s) if &*s == "a1.5b")
    );
}

#[test]
fn lambdas_functions_and_try_catch() {
    let v = run_test(
        "int twice(int x) { x * 2 } List l = [3, 1, 2]; l.sort((a, b) -> a - b); \
         int s = 0; for (x in l) { s = s * 10 + twice(x) } return s",
    )
    .unwrap();
    assert!(matches!(v, Value::Int(246)));
    let v = run_test(
        "try { throw new IllegalArgumentException('no') } catch (IllegalArgumentException e) { return e.getMessage() }",
    )
    .unwrap();
    assert!(matches!(v, Value::String(s) if &*s == "no"));
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let ok = format!("return {}1{}", "(".repeat(50), ")".repeat(50));
    assert!(matches!(run_test(&ok).unwrap(), Value::Int(1)));
    // An expression tree as deep as allowed compiles and runs on a 2 MiB test thread.
    let deep_tree = format!("return {}1{}", "1 + (".repeat(60), ")".repeat(60));
    assert!(matches!(run_test(&deep_tree).unwrap(), Value::Int(61)));
    let deep = format!("return {}1{}", "(".repeat(5000), ")".repeat(5000));
    let e = run_test(&deep).unwrap_err();
    assert_eq!(e.reason, "compile error");
    assert!(e
        .caused_by
        .message
        .as_deref()
        .unwrap()
        .starts_with("not supported by siemctl's offline Painless: code nested"));
}

#[test]
fn runaway_recursion_is_a_stack_overflow_error_not_a_crash() {
    // The test thread has a 2 MiB stack, like the emulator's worker threads.
    let e = run_test("int f(int x) { return f(x + 1) + 1 } return f(0)").unwrap_err();
    assert_eq!(&*e.caused_by.class, "StackOverflowError");
}
