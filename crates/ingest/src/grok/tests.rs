//! The cases of upstream's `libs/grok/src/test/java/org/opensearch/grok/GrokTests.java`.

use super::*;

fn builtin() -> Bank {
    processor_bank(&[])
}

fn bank_of(pairs: &[(&str, &str)]) -> Bank {
    let mut bank = JMap::new(MapKind::Hash);
    for (k, v) in pairs {
        bank.insert_str(k, Value::string(*v));
    }
    bank
}

fn tree_bank_of(pairs: &[(&str, &str)]) -> Bank {
    let mut bank = JMap::new(MapKind::Tree);
    for (k, v) in pairs {
        bank.insert_str(k, Value::string(*v));
    }
    bank
}

/// A value with its Java type, comparable in tests.
#[derive(Debug, Clone, PartialEq)]
enum T {
    S(String),
    I(i32),
    L(i64),
    F(f32),
    D(f64),
    B(bool),
}

fn t(v: &Value) -> T {
    match v {
        Value::String(s) => T::S(s.to_string()),
        Value::Int(i) => T::I(*i),
        Value::Long(i) => T::L(*i),
        Value::Float(f) => T::F(*f),
        Value::Double(f) => T::D(*f),
        Value::Boolean(b) => T::B(*b),
        other => panic!("unexpected {}", other.java_to_string()),
    }
}

fn str_t(v: &str) -> T {
    T::S(v.to_string())
}

fn caps(grok: &Grok, text: &str) -> Option<Vec<(String, T)>> {
    grok.captures(text)
        .unwrap()
        .map(|v| v.iter().map(|(k, v)| (k.clone(), t(v))).collect())
}

fn get<'a>(caps: &'a [(String, T)], name: &str) -> Option<&'a T> {
    caps.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn s(v: Option<&T>) -> Option<String> {
    v.map(|v| match v {
        T::S(s) => s.clone(),
        other => panic!("not a string: {other:?}"),
    })
}

fn config(grok: &Grok) -> Vec<(String, CaptureType)> {
    let mut out: Vec<(String, CaptureType)> = grok
        .capture_config()
        .iter()
        .map(|c| (c.name().to_string(), c.kind()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let before = out.len();
    out.dedup_by(|a, b| a.0 == b.0);
    assert_eq!(before, out.len(), "duplicates not allowed");
    out
}

fn strings(names: &[&str]) -> Vec<(String, CaptureType)> {
    let mut v: Vec<(String, CaptureType)> = names
        .iter()
        .map(|n| (n.to_string(), CaptureType::String))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn bank_holds_the_twenty_files_in_upstream_order() {
    let bank = pattern_bank_ordered();
    assert_eq!(bank.get_index(0).unwrap().0, "S3_REQUEST_LINE");
    assert_eq!(
        bank.get("PATH").map(String::as_str),
        Some("(?:%{UNIXPATH}|%{WINPATH})")
    );
    // Defined twice in `java`: the second definition wins, in the first one's place.
    assert_eq!(
        bank.get("JAVASTACKTRACEPART").map(String::as_str),
        Some(r"at %{JAVACLASS:class}\.%{WORD:method}\(%{JAVAFILE:file}:%{NUMBER:line}\)")
    );
    // A definition ending in a blank keeps it (`split("\\s+", 2)` only splits at the first run).
    assert_eq!(
        bank.get("REDISLOG").map(String::as_str),
        Some(r"\[%{POSINT:pid}\] %{REDISTIMESTAMP:timestamp} \* ")
    );
    assert!(bank.contains_key("SQUID3") && bank.contains_key("NAGIOSLOGLINE"));
    // 310 names once later definitions replace earlier ones (counted independently of this code).
    assert_eq!(bank.len(), 310);
    assert_eq!(pattern_bank().len(), bank.len());
    assert_eq!(pattern_bank().keys().next().unwrap(), "BACULA_CAPACITY");
}

#[test]
fn every_builtin_pattern_compiles() {
    Grok::new(&builtin(), "%{IP}").expect("the built-in bank validates");
    for name in pattern_bank_ordered().keys() {
        Grok::with_builtin_bank(&format!("%{{{name}}}"))
            .unwrap_or_else(|e| panic!("{name} does not compile: {e}"));
    }
}

#[test]
fn match_without_captures() {
    let grok = Grok::new(&builtin(), "value").unwrap();
    assert_eq!(caps(&grok, "value"), Some(vec![]));
    assert_eq!(caps(&grok, "prefix_value"), Some(vec![]));
    assert_eq!(caps(&grok, "no_match"), None);
}

#[test]
fn int_capture() {
    let grok = Grok::new(&builtin(), "%{NUMBER:n:int}").unwrap();
    assert_eq!(caps(&grok, "10"), Some(vec![("n".to_string(), T::I(10))]));
}

#[test]
fn no_matching_pattern_in_dictionary() {
    let e = Grok::new(&bank_of(&[]), "%{NOTFOUND}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Unable to find pattern [NOTFOUND] in Grok's pattern dictionary"
    );
}

#[test]
fn simple_syslog_line() {
    let line =
        "Mar 16 00:01:25 evita postfix/smtpd[1713]: connect from camomile.cloud9.net[168.100.1.3]";
    let grok = Grok::new(&builtin(), "%{SYSLOGLINE}").unwrap();
    assert_eq!(
        config(&grok),
        strings(&[
            "facility",
            "logsource",
            "message",
            "pid",
            "priority",
            "program",
            "timestamp",
            "timestamp8601"
        ])
    );
    let m = caps(&grok, line).unwrap();
    assert_eq!(s(get(&m, "logsource")).as_deref(), Some("evita"));
    assert_eq!(s(get(&m, "timestamp")).as_deref(), Some("Mar 16 00:01:25"));
    assert_eq!(
        s(get(&m, "message")).as_deref(),
        Some("connect from camomile.cloud9.net[168.100.1.3]")
    );
    assert_eq!(s(get(&m, "program")).as_deref(), Some("postfix/smtpd"));
    assert_eq!(s(get(&m, "pid")).as_deref(), Some("1713"));
    assert_eq!(get(&m, "facility"), None);
}

#[test]
fn syslog5424_line() {
    let line = r#"<191>1 2009-06-30T18:30:00+02:00 paxton.local grokdebug 4123 - [id1 foo=\"bar\"][id2 baz=\"something\"] Hello, syslog."#;
    let grok = Grok::new(&builtin(), "%{SYSLOG5424LINE}").unwrap();
    let m = caps(&grok, line).unwrap();
    assert_eq!(s(get(&m, "syslog5424_pri")).as_deref(), Some("191"));
    assert_eq!(s(get(&m, "syslog5424_ver")).as_deref(), Some("1"));
    assert_eq!(
        s(get(&m, "syslog5424_ts")).as_deref(),
        Some("2009-06-30T18:30:00+02:00")
    );
    assert_eq!(
        s(get(&m, "syslog5424_host")).as_deref(),
        Some("paxton.local")
    );
    assert_eq!(s(get(&m, "syslog5424_app")).as_deref(), Some("grokdebug"));
    assert_eq!(s(get(&m, "syslog5424_proc")).as_deref(), Some("4123"));
    assert_eq!(get(&m, "syslog5424_msgid"), None);
    assert_eq!(
        s(get(&m, "syslog5424_sd")).as_deref(),
        Some(r#"[id1 foo=\"bar\"][id2 baz=\"something\"]"#)
    );
    assert_eq!(
        s(get(&m, "syslog5424_msg")).as_deref(),
        Some("Hello, syslog.")
    );
}

#[test]
fn date_pattern() {
    let grok = Grok::new(&builtin(), "(?<timestamp>%{DATE_EU} %{TIME})").unwrap();
    assert_eq!(config(&grok), strings(&["timestamp"]));
    let m = caps(&grok, "fancy 12-12-12 12:12:12").unwrap();
    assert_eq!(
        s(get(&m, "timestamp")).as_deref(),
        Some("12-12-12 12:12:12")
    );
}

#[test]
fn nil_coerced_values() {
    let grok = Grok::new(&builtin(), "test (N/A|%{BASE10NUM:duration:float}ms)").unwrap();
    assert_eq!(
        config(&grok),
        vec![("duration".to_string(), CaptureType::Float)]
    );
    let m = caps(&grok, "test 28.4ms").unwrap();
    assert_eq!(get(&m, "duration"), Some(&T::F(28.4)));
    let m = caps(&grok, "test N/A").unwrap();
    assert_eq!(get(&m, "duration"), None);
}

#[test]
fn nil_with_no_coercion() {
    let grok = Grok::new(&builtin(), "test (N/A|%{BASE10NUM:duration}ms)").unwrap();
    let m = caps(&grok, "test 28.4ms").unwrap();
    assert_eq!(s(get(&m, "duration")).as_deref(), Some("28.4"));
    assert_eq!(get(&caps(&grok, "test N/A").unwrap(), "duration"), None);
}

#[test]
fn unicode_syslog() {
    let grok = Grok::new(
        &builtin(),
        r"<%{POSINT:syslog_pri}>%{SPACE}%{SYSLOGTIMESTAMP:syslog_timestamp} %{SYSLOGHOST:syslog_hostname} %{PROG:syslog_program}(:?)(?:\[%{GREEDYDATA:syslog_pid}\])?(:?) %{GREEDYDATA:syslog_message}",
    )
    .unwrap();
    let m = caps(&grok, "<22>Jan  4 07:50:46 mailmaster postfix/policy-spf[9454]: : SPF permerror (Junk encountered in record 'v=spf1 mx a:mail.domain.no ip4:192.168.0.4 \u{FFFD}all'): Envelope-from: email@domain.no").unwrap();
    assert_eq!(s(get(&m, "syslog_pri")).as_deref(), Some("22"));
    assert_eq!(
        s(get(&m, "syslog_program")).as_deref(),
        Some("postfix/policy-spf")
    );
    assert_eq!(get(&m, "tags"), None);
}

#[test]
fn named_fields_with_whole_text_match() {
    let grok = Grok::new(&builtin(), "%{DATE_EU:stimestamp}").unwrap();
    let m = caps(&grok, "11/01/01").unwrap();
    assert_eq!(s(get(&m, "stimestamp")).as_deref(), Some("11/01/01"));
}

#[test]
fn oniguruma_named_captures() {
    let grok = Grok::new(&builtin(), r"(?<foo>\w+)").unwrap();
    let m = caps(&grok, "hello world").unwrap();
    assert_eq!(s(get(&m, "foo")).as_deref(), Some("hello"));
}

#[test]
fn iso8601() {
    let grok = Grok::new(&builtin(), "^%{TIMESTAMP_ISO8601}$").unwrap();
    assert!(config(&grok).is_empty());
    for msg in [
        "2001-01-01T00:00:00",
        "1974-03-02T04:09:09",
        "2010-05-03T08:18:18+00:00",
        "2004-07-04T12:27:27-00:00",
        "2001-09-05T16:36:36+0000",
        "2001-11-06T20:45:45-0000",
        "2001-12-07T23:54:54Z",
        "2001-01-01T00:00:00.123456",
        "1974-03-02T04:09:09.123456",
        "2010-05-03T08:18:18.123456+00:00",
        "2004-07-04T12:27:27.123456-00:00",
        "2001-09-05T16:36:36.123456+0000",
        "2001-11-06T20:45:45.123456-0000",
        "2001-12-07T23:54:54.123456Z",
        "2001-12-07T23:54:60.123456Z",
    ] {
        assert!(grok.is_match(msg).unwrap(), "{msg}");
    }
}

#[test]
fn not_iso8601() {
    let grok = Grok::new(&builtin(), "^%{TIMESTAMP_ISO8601}$").unwrap();
    for msg in [
        "2001-13-01T00:00:00",
        "2001-00-01T00:00:00",
        "2001-01-00T00:00:00",
        "2001-01-32T00:00:00",
        "2001-01-aT00:00:00",
        "2001-01-1aT00:00:00",
        "2001-01-01Ta0:00:00",
        "2001-01-01T0:00:00",
        "2001-01-01T25:00:00",
        "2001-01-01T01:60:00",
        "2001-01-01T00:aa:00",
        "2001-01-01T00:00:aa",
        "2001-01-01T00:00:-1",
        "2001-01-01T00:00:61",
        "2001-01-01T00:00:00A",
        "2001-01-01T00:00:00+",
        "2001-01-01T00:00:00+25",
        "2001-01-01T00:00:00+2500",
        "2001-01-01T00:00:00+25:00",
        "2001-01-01T00:00:00-25",
        "2001-01-01T00:00:00-2500",
        "2001-01-01T00:00:00-00:61",
    ] {
        assert!(!grok.is_match(msg).unwrap(), "{msg}");
    }
}

#[test]
fn no_named_captures() {
    let bank = bank_of(&[
        ("NAME", "Tal"),
        ("EXCITED_NAME", "!!!%{NAME:name}!!!"),
        ("TEST", "hello world"),
    ]);
    let pattern = "%{EXCITED_NAME} - %{NAME}";
    let g = Grok::build(&bank, pattern, false).unwrap();
    assert_eq!(
        to_regex(&bank, pattern, false).unwrap(),
        "(?<EXCITED_NAME_0>!!!(?<NAME_21>Tal)!!!) - (?<NAME_22>Tal)"
    );
    assert_eq!(
        config(&g),
        strings(&["EXCITED_NAME_0", "NAME_21", "NAME_22"])
    );
    let m = caps(&g, "wowza !!!Tal!!! - Tal").unwrap();
    assert_eq!(s(get(&m, "EXCITED_NAME_0")).as_deref(), Some("!!!Tal!!!"));
    assert_eq!(s(get(&m, "NAME_21")).as_deref(), Some("Tal"));
    assert_eq!(s(get(&m, "NAME_22")).as_deref(), Some("Tal"));
}

#[test]
fn circular_reference() {
    let e = Grok::build(&bank_of(&[("NAME", "!!!%{NAME}!!!")]), "%{NAME}", false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "circular reference in pattern [NAME][!!!%{NAME}!!!]"
    );
    let e = Grok::build(
        &bank_of(&[("NAME", "!!!%{NAME:name}!!!")]),
        "%{NAME}",
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "circular reference in pattern [NAME][!!!%{NAME:name}!!!]"
    );
    let e = Grok::build(
        &bank_of(&[("NAME", "!!!%{NAME:name:int}!!!")]),
        "%{NAME}",
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "circular reference in pattern [NAME][!!!%{NAME:name:int}!!!]"
    );
    let e = Grok::build(
        &tree_bank_of(&[("NAME1", "!!!%{NAME2}!!!"), ("NAME2", "!!!%{NAME1}!!!")]),
        "%{NAME1}",
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "circular reference in pattern [NAME2][!!!%{NAME1}!!!] back to pattern [NAME1]"
    );
    let e = Grok::build(
        &tree_bank_of(&[
            ("NAME1", "!!!%{NAME2}!!!"),
            ("NAME2", "!!!%{NAME3}!!!"),
            ("NAME3", "!!!%{NAME1}!!!"),
        ]),
        "%{NAME1}",
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "circular reference in pattern [NAME3][!!!%{NAME1}!!!] back to pattern [NAME1] via patterns [NAME2]"
    );
    let e = Grok::build(
        &tree_bank_of(&[
            ("NAME1", "!!!%{NAME2}!!!"),
            ("NAME2", "!!!%{NAME3}!!!"),
            ("NAME3", "!!!%{NAME4}!!!"),
            ("NAME4", "!!!%{NAME5}!!!"),
            ("NAME5", "!!!%{NAME1}!!!"),
        ]),
        "%{NAME1}",
        false,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "circular reference in pattern [NAME5][!!!%{NAME1}!!!] back to pattern [NAME1] via patterns [NAME2=>NAME3=>NAME4]"
    );
}

#[test]
fn boolean_captures() {
    let g = Grok::new(&builtin(), "%{WORD:name}=%{WORD:status:boolean}").unwrap();
    assert_eq!(
        config(&g),
        vec![
            ("name".to_string(), CaptureType::String),
            ("status".to_string(), CaptureType::Boolean)
        ]
    );
    let m = caps(&g, "active=true").unwrap();
    assert_eq!(s(get(&m, "name")).as_deref(), Some("active"));
    assert_eq!(get(&m, "status"), Some(&T::B(true)));
}

fn number_bank() -> Bank {
    bank_of(&[
        (
            "BASE10NUM",
            r"(?<![0-9.+-])(?>[+-]?(?:(?:[0-9]+(?:\.[0-9]+)?)|(?:\.[0-9]+)))",
        ),
        ("NUMBER", "(?:%{BASE10NUM})"),
    ])
}

#[test]
fn numeric_captures() {
    let g = Grok::new(
        &number_bank(),
        "%{NUMBER:bytes:float} %{NUMBER:id:long} %{NUMBER:rating:double}",
    )
    .unwrap();
    let m = caps(&g, "12009.34 20000000000 4820.092").unwrap();
    assert_eq!(get(&m, "bytes"), Some(&T::F(12009.34)));
    assert_eq!(get(&m, "id"), Some(&T::L(20000000000)));
    assert_eq!(get(&m, "rating"), Some(&T::D(4820.092)));
}

#[test]
fn numeric_captures_coercion() {
    let g = Grok::new(
        &number_bank(),
        "%{NUMBER:bytes:float} %{NUMBER:status} %{NUMBER}",
    )
    .unwrap();
    let m = caps(&g, "12009.34 200 9032").unwrap();
    assert_eq!(
        m,
        vec![
            ("bytes".to_string(), T::F(12009.34)),
            ("status".to_string(), str_t("200"))
        ]
    );
}

#[test]
fn garbage_type_name_becomes_string() {
    let g = Grok::new(&number_bank(), "%{NUMBER:f:not_a_valid_type}").unwrap();
    assert_eq!(
        caps(&g, "12009.34"),
        Some(vec![("f".to_string(), str_t("12009.34"))])
    );
}

#[test]
fn int_conversion_failure_is_a_number_format_exception() {
    let g = Grok::new(&builtin(), "%{WORD:n:int}").unwrap();
    let e = g.captures("abc").unwrap_err();
    assert_eq!(
        e,
        GrokError::NumberFormat("For input string: \"abc\"".into())
    );
    let g = Grok::new(&builtin(), "%{NUMBER:n:int}").unwrap();
    assert_eq!(
        g.captures("99999999999").unwrap_err().to_string(),
        "For input string: \"99999999999\""
    );
    assert_eq!(
        g.captures("1.5").unwrap_err().to_string(),
        "For input string: \"1.5\""
    );
}

#[test]
fn apache_log() {
    let line = r#"31.184.238.164 - - [24/Jul/2014:05:35:37 +0530] "GET /logs/access.log HTTP/1.0" 200 69849 "http://8rursodiol.enjin.com" "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/30.0.1599.12785 YaBrowser/13.12.1599.12785 Safari/537.36" "www.dlwindianrailways.com""#;
    let grok = Grok::new(&builtin(), "%{COMBINEDAPACHELOG}").unwrap();
    assert_eq!(
        config(&grok),
        strings(&[
            "agent",
            "auth",
            "bytes",
            "clientip",
            "httpversion",
            "ident",
            "rawrequest",
            "referrer",
            "request",
            "response",
            "timestamp",
            "verb"
        ])
    );
    let m = caps(&grok, line).unwrap();
    assert_eq!(s(get(&m, "clientip")).as_deref(), Some("31.184.238.164"));
    assert_eq!(s(get(&m, "ident")).as_deref(), Some("-"));
    assert_eq!(s(get(&m, "auth")).as_deref(), Some("-"));
    assert_eq!(
        s(get(&m, "timestamp")).as_deref(),
        Some("24/Jul/2014:05:35:37 +0530")
    );
    assert_eq!(s(get(&m, "verb")).as_deref(), Some("GET"));
    assert_eq!(s(get(&m, "request")).as_deref(), Some("/logs/access.log"));
    assert_eq!(s(get(&m, "httpversion")).as_deref(), Some("1.0"));
    assert_eq!(s(get(&m, "response")).as_deref(), Some("200"));
    assert_eq!(s(get(&m, "bytes")).as_deref(), Some("69849"));
    assert_eq!(
        s(get(&m, "referrer")).as_deref(),
        Some("\"http://8rursodiol.enjin.com\"")
    );
    assert_eq!(get(&m, "port"), None);
    assert_eq!(s(get(&m, "agent")).as_deref(), Some("\"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/30.0.1599.12785 YaBrowser/13.12.1599.12785 Safari/537.36\""));
}

#[test]
fn complete_with_typed_captures() {
    let text = r#"83.149.9.216 - - [19/Jul/2015:08:13:42 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-dashboard3.png HTTP/1.1" 200 171717 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36""#;
    let pattern = r#"%{IPORHOST:clientip} %{USER:ident} %{USER:auth} \[%{HTTPDATE:timestamp}\] "%{WORD:verb} %{DATA:request} HTTP/%{NUMBER:httpversion}" %{NUMBER:response:int} (?:-|%{NUMBER:bytes:int}) %{QS:referrer} %{QS:agent}"#;
    let grok = Grok::new(&builtin(), pattern).unwrap();
    let m = caps(&grok, text).unwrap();
    assert_eq!(get(&m, "response"), Some(&T::I(200)));
    assert_eq!(get(&m, "bytes"), Some(&T::I(171717)));
    assert_eq!(
        s(get(&m, "request")).as_deref(),
        Some("/presentations/logstash-monitorama-2013/images/kibana-dashboard3.png")
    );
    assert_eq!(s(get(&m, "httpversion")).as_deref(), Some("1.1"));
    assert_eq!(m.len(), 11);
}

#[test]
fn no_match() {
    let bank = bank_of(&[("MONTHDAY", "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])")]);
    let grok = Grok::new(&bank, "%{MONTHDAY:greatday}").unwrap();
    assert_eq!(caps(&grok, "nomatch"), None);
}

#[test]
fn multiple_named_captures_with_same_name() {
    let grok = Grok::new(
        &bank_of(&[("SINGLEDIGIT", "[0-9]")]),
        "%{SINGLEDIGIT:num}%{SINGLEDIGIT:num}",
    )
    .unwrap();
    assert_eq!(config(&grok), strings(&["num"]));
    assert_eq!(
        caps(&grok, "12"),
        Some(vec![("num".to_string(), str_t("1"))])
    );
}

#[test]
fn same_field_name_in_alternatives_takes_the_group_that_matched() {
    let grok = Grok::new(&builtin(), "(?:%{INT:a} x)|(?:%{WORD:a} y)").unwrap();
    assert_eq!(
        caps(&grok, "foo y"),
        Some(vec![("a".to_string(), str_t("foo"))])
    );
}

#[test]
fn field_names() {
    for name in [
        "@metadata",
        "metädata",
        "metadat[a]",
        "metad[a]ta",
        "[m]etadata",
        "meta_data",
        "meta.data",
        "meta-data",
        "abc12",
        "12abc",
        "42",
    ] {
        let grok = Grok::new(&builtin(), &format!("%{{WORD:{name}}}")).unwrap();
        let m = caps(&grok, "foo").unwrap();
        assert_eq!(s(get(&m, name)).as_deref(), Some("foo"), "{name}");
    }
}

#[test]
fn unsupported_brackets_in_field_name() {
    let grok = Grok::new(&builtin(), "%{WORD:unsuppo(r)ted}").unwrap();
    assert_eq!(caps(&grok, "line"), None);
}

#[test]
fn java_class_and_file_patterns() {
    let grok = Grok::new(&builtin(), "%{JAVACLASS}").unwrap();
    assert!(grok.is_match("Test_Class.class").unwrap());
    let grok = Grok::new(&builtin(), "%{JAVAFILE}").unwrap();
    assert!(grok.is_match("Test Class.java").unwrap());
}

#[test]
fn invalid_regex_message_is_oniguruma_s() {
    let e = Grok::new(&bank_of(&[]), "[").unwrap_err();
    assert_eq!(e.to_string(), "premature end of char-class");
    let e = Grok::new(&bank_of(&[("MY_PATTERN", "[")]), "%{MY_PATTERN:name}!").unwrap_err();
    assert_eq!(e.to_string(), "premature end of char-class");
}

#[test]
fn definition_referring_to_a_missing_pattern() {
    let e = Grok::new(&bank_of(&[("A", "%{MISSING}")]), "x").unwrap_err();
    assert_eq!(e.java_type(), "null_pointer_exception");
}

#[test]
fn inline_definitions_are_ignored_as_upstream() {
    // `%{NAME=regex}`: upstream's toRegex ignores the definition ("TODO(tal)") and looks NAME up.
    let e = Grok::new(&bank_of(&[]), "%{FOO=bar}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Unable to find pattern [FOO] in Grok's pattern dictionary"
    );
}

#[test]
fn java_number_parsing() {
    assert_eq!(java_parse_int("+5").unwrap(), 5);
    assert_eq!(java_parse_int("-0").unwrap(), 0);
    assert!(java_parse_int("").is_err());
    assert!(java_parse_int("2147483648").is_err());
    assert_eq!(java_parse_long("-9223372036854775808").unwrap(), i64::MIN);
    assert_eq!(java_parse_floating(" 1.5f ").unwrap(), "1.5");
    assert_eq!(java_parse_floating("1e3").unwrap(), "1e3");
    assert_eq!(java_parse_floating(".5").unwrap(), ".5");
    assert_eq!(java_parse_floating("5.").unwrap(), "5.");
    assert_eq!(
        java_parse_floating("").unwrap_err().to_string(),
        "empty String"
    );
    assert!(java_parse_floating("1.5x").is_err());
    assert!(java_parse_floating("inf").is_err());
}

#[test]
fn grok_processor_get_body_lists_the_bank() {
    let body = grok_processor_get_body(false);
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed["patterns"]["PATH"], "(?:%{UNIXPATH}|%{WINPATH})");
    assert!(body.starts_with("{\"patterns\":{\"S3_REQUEST_LINE\":"));
    assert!(grok_processor_get_body(true).starts_with("{\"patterns\":{\"BACULA_CAPACITY\":"));
    assert_eq!(
        parsed["patterns"].as_object().unwrap().len(),
        pattern_bank_ordered().len()
    );
}

#[test]
fn exponential_expression_stops_as_unsupported() {
    // GrokTests.testExponentialExpressions: upstream's watchdog interrupts the match
    // ("grok pattern matching was interrupted after [200] ms" with its test settings); here
    // Oniguruma's retry limit stops it and the engine says so.
    let pattern = r"Bonsuche mit folgender Anfrage: Belegart->\[%{WORD:param2},(?<param5>(\s*%{NOTSPACE})*)\] Zustand->ABGESCHLOSSEN Kassennummer->%{WORD:param9} Bonnummer->%{WORD:param10} Datum->%{DATESTAMP_OTHER:param11}";
    let line = "Bonsuche mit folgender Anfrage: Belegart->[EINGESCHRAENKTER_VERKAUF, VERKAUF, NACHERFASSUNG] Zustand->ABGESCHLOSSEN Kassennummer->2 Bonnummer->6362 Datum->Mon Jan 08 00:00:00 UTC 2018";
    let grok = Grok::new(&builtin(), pattern).unwrap();
    let started = std::time::Instant::now();
    match grok.captures(line) {
        Err(GrokError::Unsupported(m)) => assert!(m.contains("retry"), "{m}"),
        other => panic!(
            "expected the engine's limit, got {:?}",
            other.map(|o| o.is_some())
        ),
    }
    assert!(started.elapsed().as_secs() < 60);
}
