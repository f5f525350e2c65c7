//! Conversion tests: rules in, queries or problems out, with the bundled field mapping and a
//! hand-made set of mapped fields.

use std::path::{Path, PathBuf};

use super::mapping::{self, Mappings};
use super::*;
use crate::content::mapping::Field;

struct TestFields(Fields);

impl FieldsOf for TestFields {
    fn fields_of(&self, log_type: &str) -> Option<&Fields> {
        matches!(log_type, "aws-cloudtrail" | "linux-secure" | "web").then_some(&self.0)
    }
}

fn fields() -> TestFields {
    let mut f = Fields::new();
    for (name, ty) in [
        ("aws.cloudtrail.eventName", "keyword"),
        ("aws.cloudtrail.eventSource", "keyword"),
        ("aws.cloudtrail.userAgent", "keyword"),
        ("aws.cloudtrail.userIdentity.arn", "keyword"),
        ("aws.cloudtrail.userIdentity.type", "keyword"),
        ("aws.cloudtrail.sourceIPAddress", "keyword"),
        ("aws.cloudtrail.errorMessage", "keyword"),
        ("aws.cloudtrail.readOnly", "boolean"),
        ("aws.cloudtrail.requestParameters", "flat_object"),
        ("aws.cloudtrail.responseElements", "flat_object"),
        ("linux.secure.message", "text"),
        ("linux.secure.message.keyword", "keyword"),
        ("process.name", "keyword"),
        ("process.pid", "long"),
        ("user.name", "keyword"),
        ("source.ip", "ip"),
        ("url.original", "keyword"),
        ("http.response.status_code", "long"),
    ] {
        f.insert(
            name.into(),
            Field {
                ty: ty.into(),
                searchable: true,
                format: None,
                origin: PathBuf::from("x"),
            },
        );
    }
    TestFields(f)
}

fn mappings() -> Mappings {
    mapping::parse(include_str!("../../sigma/field-mappings.yaml")).expect("bundled mapping")
}

fn rule(logsource: &str, detection: &str) -> String {
    format!("title: T\nid: 11111111-2222-3333-4444-555555555555\nlogsource:\n{logsource}\ndetection:\n{detection}\n")
}

const CLOUDTRAIL: &str = "    product: aws\n    service: cloudtrail";

fn ok(text: &str) -> (Language, String) {
    let c = convert(Path::new("r.yml"), text, &mappings(), &fields(), None)
        .unwrap_or_else(|p| panic!("{}: {:?}", p.message, p.hint));
    (c.language, c.query)
}

fn fails(text: &str) -> Problem {
    match convert(Path::new("r.yml"), text, &mappings(), &fields(), None) {
        Ok(c) => panic!("converted to {}", c.query),
        Err(p) => p,
    }
}

#[test]
fn exact_case_fields_stay_dql_terms_and_lists_are_or() {
    let (l, q) = ok(&rule(
        CLOUDTRAIL,
        "    sel:\n        eventSource: iam.amazonaws.com\n        eventName: [CreateUser, DeleteUser]\n    condition: sel",
    ));
    assert_eq!(l, Language::Dql);
    assert_eq!(
        q,
        r#"aws.cloudtrail.eventSource:"iam.amazonaws.com" and (aws.cloudtrail.eventName:"CreateUser" or aws.cloudtrail.eventName:"DeleteUser")"#
    );
}

#[test]
fn other_strings_compare_case_insensitively_through_lucene_regexes() {
    let (l, q) = ok(&rule(
        CLOUDTRAIL,
        "    sel:\n        userAgent|contains: 'Boto3'\n    condition: sel",
    ));
    assert_eq!(l, Language::Lucene);
    assert_eq!(q, "aws.cloudtrail.userAgent:/.*[bB][oO][tT][oO]3.*/");
    // `cased` keeps the case and the wildcard.
    let (_, q) = ok(&rule(
        CLOUDTRAIL,
        "    sel:\n        userAgent|cased|startswith: 'Boto3 x'\n    condition: sel",
    ));
    assert_eq!(q, r"aws.cloudtrail.userAgent:Boto3\ x*");
}

#[test]
fn quantifiers_null_exists_and_all() {
    let (_, q) = ok(&rule(
        CLOUDTRAIL,
        "    selection_a:\n        eventName: A\n    selection_b:\n        eventName: B\n    filter:\n        errorMessage: null\n    condition: 1 of selection_* and not filter",
    ));
    assert_eq!(
        q,
        r#"(aws.cloudtrail.eventName:"A" or aws.cloudtrail.eventName:"B") and not (not aws.cloudtrail.errorMessage:*)"#
            .replace("not (not ", "")
            .replace("*)", "*")
    );
    let (_, q) = ok(&rule(
        CLOUDTRAIL,
        "    a:\n        errorMessage|exists: true\n    b:\n        eventName|all: [A, B]\n    condition: all of them",
    ));
    assert_eq!(
        q,
        r#"aws.cloudtrail.errorMessage:* and aws.cloudtrail.eventName:"A" and aws.cloudtrail.eventName:"B""#
    );
}

#[test]
fn keywords_search_the_keyword_fields_of_the_log_type() {
    let (_, q) = ok(&rule(
        "    product: linux\n    service: sshd",
        "    keywords:\n        - 'bad DH'\n    condition: keywords",
    ));
    assert_eq!(
        q,
        r"linux.secure.message.keyword:/.*[bB][aA][dD] [dD][hH].*/ OR process.name:/.*[bB][aA][dD] [dD][hH].*/"
    );
}

#[test]
fn typed_fields_take_numbers_and_cidr() {
    let (l, q) = ok(&rule(
        "    category: webserver",
        "    sel:\n        sc-status|gte: 500\n        c-ip|cidr: 203.0.113.0/24\n    condition: sel",
    ));
    assert_eq!(l, Language::Dql);
    assert_eq!(
        q,
        r#"http.response.status_code >= 500 and source.ip:"203.0.113.0/24""#
    );
    let p = fails(&rule(
        "    category: webserver",
        "    sel:\n        sc-status|contains: '50'\n    condition: sel",
    ));
    assert!(p.message.contains("type long"), "{}", p.message);
}

#[test]
fn flat_object_leaves_take_exact_values_only() {
    let (_, q) = ok(&rule(
        CLOUDTRAIL,
        "    sel:\n        requestParameters.userName|cased: Bob\n    condition: sel",
    ));
    assert_eq!(q, r#"aws.cloudtrail.requestParameters.userName:"Bob""#);
    let p = fails(&rule(
        CLOUDTRAIL,
        "    sel:\n        requestParameters.userName: bob\n    condition: sel",
    ));
    assert!(p.message.contains("flat_object"), "{}", p.message);
    assert_eq!(p.line, Some(8));
}

#[test]
fn refusals_name_the_line_and_what_to_do() {
    let p = fails(&rule(
        CLOUDTRAIL,
        "    sel:\n        eventName: A\n    condition: sel | count() > 5",
    ));
    assert!(p.message.contains("aggregation"));
    assert_eq!(p.line, Some(9));
    let p = fails(&rule(
        CLOUDTRAIL,
        "    sel:\n        eventNam: A\n    condition: sel",
    ));
    assert!(p
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("did you mean `eventName`"));
    let p = fails(&rule(
        CLOUDTRAIL,
        "    sel:\n        eventName|fieldref: eventSource\n    condition: sel",
    ));
    assert!(p.message.contains("fieldref"));
    let p = fails(&rule(
        "    product: windows",
        "    sel:\n        a: b\n    condition: sel",
    ));
    assert!(p.message.contains("no Windows log type"), "{}", p.message);
    assert_eq!(p.line, Some(4));
    let p = fails(&rule(
        "    product: macos",
        "    sel:\n        a: b\n    condition: sel",
    ));
    assert!(p.hint.as_deref().unwrap_or_default().contains("--log-type"));
    let p = fails(&rule(
        CLOUDTRAIL,
        "    sel:\n        eventName: A\n    condition: sel and nope",
    ));
    assert!(p.message.contains("`nope`"));
    let p = fails(&rule(
        CLOUDTRAIL,
        "    sel:\n        userIdentity.arn|re: 'a(?=b)'\n    condition: sel",
    ));
    assert!(p.message.contains("lookaround"), "{}", p.message);
    let p = fails("title: T\ncorrelation:\n  type: event_count\n");
    assert!(p.message.contains("correlation"));
}

#[test]
fn the_search_file_is_what_validate_reads() {
    let text = rule(
        CLOUDTRAIL,
        "    sel:\n        userIdentity.arn|re: '.+:assumed-role/aws:.+'\n    condition: sel",
    )
    .replace("title: T\n", "title: 'A: title'\ndescription: Two\n  lines.\nlevel: high\nauthor: someone\ntags: [attack.t1078]\n");
    let c = convert(Path::new("dir/x.yml"), &text, &mappings(), &fields(), None).unwrap();
    assert_eq!(c.id, "sigma-11111111-2222-3333-4444-555555555555");
    assert_eq!(c.file_name, "sigma-x.yaml");
    let yaml = search::to_yaml(&c);
    let parsed = crate::content::saved_search::parse(Path::new("s.yaml"), &yaml)
        .unwrap_or_else(|p| panic!("{p:?}\n{yaml}"));
    assert_eq!(parsed.id(), c.id);
    assert_eq!(parsed.query(), c.query);
    assert!(
        parsed.query().contains('\n'),
        "the dot class holds a newline"
    );
    assert_eq!(parsed.language, Language::Lucene);
    assert_eq!(parsed.file.tags, ["sigma", "attack.t1078"]);
    let description = parsed.file.description.unwrap_or_default();
    assert!(description.starts_with("Two lines."), "{description}");
    assert!(description.contains("Author: someone."), "{description}");
    assert!(description.contains("level high"), "{description}");
}
