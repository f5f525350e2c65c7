//! End-to-end: search sources compiled as Dashboards builds them and matched over documents;
//! every bundled saved search and search source compiles.

use super::*;
use serde_json::json;
use std::path::Path;

fn fields() -> Fields {
    Fields::from_mapping(&json!({"dynamic": false, "properties": {
        "@timestamp": {"type": "date"},
        "message": {"type": "text"},
        "event": {"properties": {
            "action": {"type": "keyword"}, "outcome": {"type": "keyword"},
            "category": {"type": "keyword"}, "severity": {"type": "long"}
        }},
        "process": {"properties": {"name": {"type": "keyword"}}},
        "user": {"properties": {"name": {"type": "keyword"}}},
        "source": {"properties": {"ip": {"type": "ip"}}},
        "url": {"properties": {"path": {"type": "keyword"}}},
        "aws": {"properties": {"guardduty": {"properties": {"service": {"properties": {"archived": {"type": "boolean"}}}}}}}
    }}))
}

fn docs() -> Vec<Value> {
    vec![
        json!({"@timestamp": "2026-11-26T08:00:00Z", "message": "Failed password for root from 203.0.113.10",
               "event": {"action": "failed-password", "outcome": "failure", "category": ["authentication"], "severity": 5},
               "process": {"name": "sshd"}, "user": {"name": "root"}, "source": {"ip": "203.0.113.10"}}),
        json!({"@timestamp": "2026-11-20T08:00:00Z", "message": "Accepted publickey for ec2-user",
               "event": {"action": "accepted-publickey", "outcome": "success", "category": ["authentication"], "severity": 1},
               "process": {"name": "sshd-session"}, "user": {"name": "ec2-user"}, "source": {"ip": "10.0.0.5"}}),
        json!({"@timestamp": "2026-11-26T09:00:00Z", "url": {"path": "/wp-login.php"},
               "event": {"severity": 8}, "aws": {"guardduty": {"service": {"archived": false}}}}),
    ]
}

/// Which of [`docs`] the search source matches.
fn which(source: Value) -> Vec<usize> {
    let f = fields();
    let source = SearchSource::from_search_source(&source).unwrap();
    let compiled = compile(&source, &EvalOptions::default()).unwrap();
    let with = compile_for(&source, &f, &EvalOptions::default()).unwrap();
    docs()
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let a = compiled.matches(d, &f).unwrap();
            let b = with.matches(d, &f).unwrap();
            assert_eq!(a, b, "compile and compile_for disagree on doc {i}");
            a.then_some(i)
        })
        .collect()
}

fn dql(q: &str) -> Vec<usize> {
    which(json!({"query": {"query": q, "language": "kuery"}, "filter": []}))
}

fn lucene(q: &str) -> Vec<usize> {
    which(json!({"query": {"query": q, "language": "lucene"}, "filter": []}))
}

#[test]
fn dql_searches() {
    assert_eq!(dql(""), vec![0, 1, 2]);
    assert_eq!(dql("event.action:failed-password"), vec![0]);
    assert_eq!(
        dql("process.name:(sshd or sshd-session) and event.outcome:failure"),
        vec![0]
    );
    assert_eq!(dql("event.action:accepted-*"), vec![1]);
    assert_eq!(
        dql("event.severity >= 7 and not aws.guardduty.service.archived:true"),
        vec![2]
    );
    assert_eq!(dql("source.ip:\"10.0.0.0/8\""), vec![1]);
    assert_eq!(
        dql("not source.ip:(\"10.0.0.0/8\" or \"192.168.0.0/16\")"),
        vec![0, 2]
    );
    assert_eq!(dql("url.path:*login*"), vec![2]);
    assert_eq!(dql("password"), vec![0]);
    assert_eq!(dql("\"password for root\""), vec![0]);
    assert_eq!(dql("user.name:*"), vec![0, 1]);
    assert_eq!(dql("@timestamp >= now-2d"), vec![0, 2]);
    assert_eq!(dql("@timestamp:2026-11-26"), vec![0, 2]);
    assert_eq!(
        dql("event.category:authentication and not user.name:root"),
        vec![1]
    );
}

#[test]
fn lucene_searches() {
    assert_eq!(lucene(""), vec![0, 1, 2]);
    assert_eq!(
        lucene("process.name:(sshd OR \"sshd-session\") AND user.name:root"),
        vec![0]
    );
    assert_eq!(lucene("url.path:*login*"), vec![2]);
    assert_eq!(lucene("Password"), vec![0]);
    assert_eq!(
        lucene("event.severity:[5 TO *] AND NOT user.name:root"),
        vec![2]
    );
}

#[test]
fn filters_combine_with_the_query() {
    let phrase = |field: &str, v: &str, negate: bool| {
        json!({"meta": {"negate": negate, "disabled": false, "type": "phrase", "key": field},
               "query": {"match_phrase": {field: v}}})
    };
    assert_eq!(
        which(
            json!({"query": {"query": "", "language": "kuery"}, "filter": [phrase("user.name", "root", false)]})
        ),
        vec![0]
    );
    assert_eq!(
        which(
            json!({"query": {"query": "event.category:authentication", "language": "kuery"},
                     "filter": [phrase("user.name", "root", true)]})
        ),
        vec![1]
    );
    let disabled =
        json!({"meta": {"disabled": true}, "query": {"match_phrase": {"user.name": "nobody"}}});
    assert_eq!(which(json!({"filter": [disabled]})), vec![0, 1, 2]);
}

#[test]
fn the_built_dsl_is_dashboards_shape() {
    let source =
        SearchSource::from_search_source(&json!({"query": {"query": "a:1", "language": "lucene"},
        "filter": [{"meta": {"negate": true}, "query": {"match_phrase": {"b": "x"}}}]}))
        .unwrap();
    let c = compile(&source, &EvalOptions::default()).unwrap();
    assert_eq!(
        c.dsl(),
        &json!({"bool": {
            "must": [{"query_string": {"query": "a:1", "analyze_wildcard": true, "time_zone": "UTC"}}],
            "filter": [], "should": [], "must_not": [{"match_phrase": {"b": "x"}}]}})
    );
    let c = c.with_time_zone("Europe/Paris").unwrap();
    assert_eq!(
        c.dsl()["bool"]["must"][0]["query_string"]["time_zone"],
        json!("Europe/Paris")
    );
    let dql = SearchSource::from_search_source(
        &json!({"query": {"query": "@timestamp < now", "language": "kuery"}}),
    )
    .unwrap();
    let c = compile_for(&dql, &fields(), &EvalOptions::default())
        .unwrap()
        .with_time_zone("+01:00")
        .unwrap();
    assert_eq!(
        c.dsl()["bool"]["filter"][0],
        json!({"bool": {"should": [{"range": {"@timestamp": {"lt": "now", "time_zone": "+01:00"}}}], "minimum_should_match": 1}})
    );
}

#[test]
fn refusals_say_why() {
    let bad = SearchSource::from_search_source(
        &json!({"query": {"query": {"match_all": {}}, "language": "lucene"}}),
    );
    assert!(bad
        .unwrap_err()
        .to_string()
        .starts_with("not evaluated offline: a query that is a DSL object"));
    let leading =
        SearchSource::from_search_source(&json!({"query": {"query": "a:*b", "language": "kuery"}}))
            .unwrap();
    let options = EvalOptions {
        allow_leading_wildcards: false,
        ..EvalOptions::default()
    };
    assert!(compile(&leading, &options)
        .unwrap_err()
        .reason
        .contains("Leading wildcards are disabled"));
    let nested = SearchSource::from_search_source(
        &json!({"query": {"query": "a:{ b:1 }", "language": "kuery"}}),
    )
    .unwrap();
    let c = compile(&nested, &EvalOptions::default()).unwrap();
    assert_eq!(
        c.matches(&json!({}), &fields()).unwrap_err().to_string(),
        "not evaluated offline: OpenSearch rejects this query: [nested] failed to find nested \
         object under path [a]"
    );
}

/// The decoded `searchSourceJSON` objects of a saved-object file (Handlebars left as is:
/// these files have none).
fn search_sources(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let key = "\"searchSourceJSON\"";
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        rest = &rest[at + key.len()..];
        let start = rest
            .find(['{', '"'])
            .expect("a value after searchSourceJSON");
        let mut de = serde_json::Deserializer::from_str(&rest[start..]).into_iter::<Value>();
        out.push(de.next().expect("a value").expect("JSON"));
    }
    out
}

/// Every bundled saved search and every visualization's and dashboard's search source
/// compiles (none is refused).
#[test]
fn every_bundled_query_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for dir in ["saved-searches", "dashboards"] {
        for log_type in std::fs::read_dir(root.join(dir)).unwrap() {
            let log_type = log_type.unwrap().path();
            if !log_type.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&log_type).unwrap() {
                let path = file.unwrap().path();
                let name = path.to_string_lossy().to_string();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let sources: Vec<Value> = if name.ends_with(".yaml") {
                    let y: Value = serde_saphyr::from_str(&text).unwrap();
                    let language = match y.get("language").and_then(Value::as_str) {
                        Some("lucene") => "lucene",
                        _ => "kuery",
                    };
                    let filters: Vec<Value> = y
                        .get("filters")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .map(|f| {
                                    let field = f["field"].as_str().unwrap();
                                    // As `SavedSearch::filters` writes them: a phrase, or
                                    // phrases for a list of values.
                                    let query = match &f["value"] {
                                        Value::Array(values) => json!({"bool": {"should": values
                                            .iter()
                                            .map(|v| json!({"match_phrase": {field: v}}))
                                            .collect::<Vec<_>>(), "minimum_should_match": 1}}),
                                        one => json!({"match_phrase": {field: one}}),
                                    };
                                    json!({"meta": {"negate": f.get("negate").cloned().unwrap_or(json!(false))},
                                           "query": query})
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    vec![
                        json!({"query": {"query": y.get("query").cloned().unwrap_or(json!("")), "language": language}, "filter": filters}),
                    ]
                } else if name.ends_with(".json.hbs") && !text.contains("{{") {
                    search_sources(&text)
                } else {
                    continue;
                };
                for s in sources {
                    let source = SearchSource::from_search_source(&s)
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    compile(&source, &EvalOptions::default())
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    // And each evaluates over an empty document without being refused.
                    let c = compile_for(&source, &fields(), &EvalOptions::default()).unwrap();
                    let hit = Hit {
                        index: "log-test".into(),
                        id: "1".into(),
                        routing: None,
                        ignored: Vec::new(),
                        source: json!({}),
                    };
                    c.matches_hit(&hit, &fields())
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    count += 1;
                }
            }
        }
    }
    // 37 saved searches and some 60 visualization and dashboard search sources when written.
    assert!(count >= 30, "only {count} search sources found");
}

#[test]
fn saved_queries_read_their_attributes() {
    let attrs = json!({"title": "q", "query": {"query": "user.name:root", "language": "kuery"},
        "filters": [{"meta": {"negate": false}, "query": {"match_phrase": {"event.outcome": "failure"}}}]});
    let source = SearchSource::from_saved_query(&attrs).unwrap();
    assert_eq!(source.filters.len(), 1);
    let c = compile(&source, &EvalOptions::default()).unwrap();
    let hits: Vec<bool> = docs()
        .iter()
        .map(|d| c.matches(d, &fields()).unwrap())
        .collect();
    assert_eq!(hits, vec![true, false, false]);
}

#[test]
fn metadata_fields_need_the_hit() {
    let source = SearchSource::from_search_source(
        &json!({"query": {"query": "_ignored:*", "language": "kuery"}}),
    )
    .unwrap();
    let c = compile_for(&source, &fields(), &EvalOptions::default()).unwrap();
    let doc = docs()[0].clone();
    assert!(c
        .matches(&doc, &fields())
        .unwrap_err()
        .reason
        .contains("[_ignored] without the document's metadata"));
    let hit = |ignored: Vec<String>| Hit {
        index: "log-linux-secure-test".into(),
        id: "abc".into(),
        routing: None,
        ignored,
        source: doc.clone(),
    };
    assert_eq!(
        c.matches_hit(&hit(vec!["source.ip".into()]), &fields()),
        Ok(true)
    );
    assert_eq!(c.matches_hit(&hit(vec![]), &fields()), Ok(false));
    let by_id = SearchSource::from_search_source(
        &json!({"query": {"query": "_id:abc AND _index:log-linux-*", "language": "lucene"}}),
    )
    .unwrap();
    let c = compile(&by_id, &EvalOptions::default()).unwrap();
    assert_eq!(c.matches_hit(&hit(vec![]), &fields()), Ok(true));
    let seq = SearchSource::from_search_source(
        &json!({"query": {"query": "_seq_no:1", "language": "lucene"}}),
    )
    .unwrap();
    let c = compile(&seq, &EvalOptions::default()).unwrap();
    assert!(c.matches_hit(&hit(vec![]), &fields()).is_err());
}

/// Real documents: 37 events of `index-templates/linux-secure/_test/secure.log` as the
/// linux-secure pipeline and mapping stored them (dumped from the cluster emulator with the
/// index's mapping, dynamic updates included). The expected lists were computed apart from
/// this code, from the documents' values.
#[test]
fn real_linux_secure_documents() {
    let data: Value =
        serde_json::from_str(include_str!("testdata/linux-secure.json")).expect("fixture");
    let fields = Fields::from_mapping(&data["mapping"]);
    let docs = data["docs"].as_array().unwrap();
    let run = |language: &str, q: &str| -> Vec<usize> {
        let source = SearchSource::from_search_source(
            &json!({"query": {"query": q, "language": language}, "filter": []}),
        )
        .unwrap();
        let c = compile_for(&source, &fields, &EvalOptions::default()).unwrap();
        docs.iter()
            .enumerate()
            .filter_map(|(i, d)| {
                c.matches(d, &fields)
                    .unwrap_or_else(|e| panic!("{q}: {e}"))
                    .then_some(i)
            })
            .collect()
    };
    assert_eq!(
        run("kuery", "event.category:iam"),
        [8, 9, 10, 30, 31, 32, 33, 34, 36]
    );
    assert_eq!(
        run("kuery", "process.name:(sshd or sshd-session) and event.outcome:failure and event.category:authentication"),
        [17, 18, 19, 20, 21, 22, 23, 24, 26, 27]
    );
    assert_eq!(run("kuery", "event.action:invalid-user"), [17, 23]);
    assert_eq!(run("kuery", "event.action:accepted-*"), [2, 29, 35]);
    assert_eq!(run("kuery", "event.action:sudo"), [5, 7]);
    assert_eq!(
        run(
            "lucene",
            r#"process.name:(sshd OR "sshd-session") AND user.name:root AND event.action:("accepted-password" OR "accepted-publickey" OR "accepted-keyboard-interactive" OR "failed-password" OR "failed-publickey")"#
        ),
        [21]
    );
    assert_eq!(run("kuery", "invalid"), [17, 19, 23, 24, 25]);
    assert_eq!(
        run("kuery", "source.ip:\"203.0.113.0/24\""),
        [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 35]
    );
    assert_eq!(
        run("kuery", "@timestamp >= \"2026-11-26T09:00:00Z\""),
        [28, 29, 30, 31, 32, 33, 34, 35, 36]
    );
    assert_eq!(
        run("lucene", "source.port:>=50000"),
        [2, 11, 12, 14, 15, 16, 17, 19, 21, 22, 23, 24, 25, 27, 28, 29, 35]
    );
}

#[test]
fn query_string_options_may_be_the_settings_json_text() {
    let source =
        SearchSource::from_search_source(&json!({"query": {"query": "a:b", "language": "lucene"}}))
            .unwrap();
    let options = EvalOptions {
        query_string_options: json!(
            "{ \"analyze_wildcard\": false, \"default_operator\": \"AND\" }"
        ),
        ..EvalOptions::default()
    };
    let c = compile(&source, &options).unwrap();
    assert_eq!(
        c.dsl()["bool"]["must"][0]["query_string"],
        json!({"query": "a:b", "analyze_wildcard": false, "default_operator": "AND", "time_zone": "UTC"})
    );
}
