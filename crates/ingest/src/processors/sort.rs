//! The `sort` processor: a sorted copy of a list (`Collections.sort`, natural order, or its
//! reverse with `Collections.reverseOrder()`).
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/SortProcessor.java`
//! (commit 910532dd3a81e5f92614ec81e2e1b0450aea3ed8).

use std::cmp::Ordering;

use painless::value::map::natural_order;
use painless::value::{Exception, Value};

use super::lowercase::abstract_string::{cast_list, java};
use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Ascending,
    Descending,
}

impl Order {
    /// `SortOrder.fromString`, with its message for anything but `asc` and `desc`.
    pub(crate) fn from_name(value: &str) -> Result<Order, String> {
        match value {
            "asc" => Ok(Order::Ascending),
            "desc" => Ok(Order::Descending),
            other => Err(format!(
                "Sort direction [{other}] not recognized. Valid values are: [asc, desc]"
            )),
        }
    }
}

fn comparable(v: &Value) -> bool {
    matches!(
        v,
        Value::String(_)
            | Value::Int(_)
            | Value::Long(_)
            | Value::Short(_)
            | Value::Byte(_)
            | Value::Char(_)
            | Value::Boolean(_)
            | Value::Double(_)
            | Value::Float(_)
    )
}

fn cast_message(from: &str, to: &str) -> String {
    format!("class {from} cannot be cast to class {to} ({from} and {to} are in module java.base of loader 'bootstrap')")
}

/// `receiver.compareTo(argument)` through `Comparable`: a `ClassCastException` when the receiver
/// is not `Comparable` or the argument is of another class, a `NullPointerException` on null.
fn compare_to(receiver: &Value, argument: &Value) -> Result<Ordering, Exception> {
    let Some(rc) = receiver.class_name() else {
        return Err(Exception::null_pointer(""));
    };
    if let Value::Object(_) = receiver {
        return Err(Exception::unsupported_operation(format!(
            "not supported by siemctl's offline engine: sorting values of class {rc}"
        )));
    }
    if !comparable(receiver) {
        return Err(Exception::class_cast(cast_message(
            rc,
            "java.lang.Comparable",
        )));
    }
    let Some(ac) = argument.class_name() else {
        return Err(Exception::null_pointer(""));
    };
    if rc != ac {
        return Err(Exception::class_cast(cast_message(ac, rc)));
    }
    Ok(natural_order(receiver, argument))
}

/// The sorted copy. The comparisons are made in the order of Java's binary insertion sort
/// (`ComparableTimSort` for lists under 32 elements: a first ascending run, then binary
/// insertion), so a list of mixed classes fails with the message Java gives; the sort is stable
/// as Java's is.
pub(crate) fn sort(items: &[Value], order: Order) -> Result<Value, Exception> {
    let cmp = |a: &Value, b: &Value| -> Result<Ordering, Exception> {
        match order {
            Order::Ascending => compare_to(a, b),
            // ReverseComparator.compare(c1, c2) = c2.compareTo(c1)
            Order::Descending => compare_to(b, a),
        }
    };
    let mut a: Vec<Value> = items.to_vec();
    let n = a.len();
    if n < 2 {
        // a single element is never compared, so it is never cast either
        return Ok(Value::list_from(a));
    }
    // countRunAndMakeAscending
    let mut run_hi = 1;
    if cmp(&a[run_hi], &a[0])? == Ordering::Less {
        run_hi += 1;
        while run_hi < n && cmp(&a[run_hi], &a[run_hi - 1])? == Ordering::Less {
            run_hi += 1;
        }
        a[..run_hi].reverse();
    } else {
        run_hi += 1;
        while run_hi < n && cmp(&a[run_hi], &a[run_hi - 1])? != Ordering::Less {
            run_hi += 1;
        }
    }
    // binarySort from the end of the run
    for start in run_hi..n {
        let pivot = a[start].clone();
        let (mut left, mut right) = (0usize, start);
        while left < right {
            let mid = (left + right) >> 1;
            if cmp(&pivot, &a[mid])? == Ordering::Less {
                right = mid;
            } else {
                left = mid + 1;
            }
        }
        a[left..=start].rotate_right(1);
    }
    Ok(Value::list_from(a))
}

/// `field [x] is null, cannot sort.`
pub(crate) fn null_error(field: &str) -> Exception {
    Exception::illegal_argument(format!("field [{field}] is null, cannot sort."))
}

pub struct SortProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    order: Order,
    target_field: String,
}

/// `SortProcessor.Factory`: `field`, `target_field` (default `field`), `order` (`asc` default,
/// or `desc`; anything else is a configuration error on `order`).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", &field)?;
    let order = config.string_or("order", "asc")?;
    let order = Order::from_name(&order).map_err(|m| config.new_config_error("order", m))?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(SortProcessor {
        tag,
        description,
        field,
        order,
        target_field,
    }))
}

impl Processor for SortProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc.field(&self.field)?;
        let Some(items) = cast_list(&self.field, value).map_err(java)? else {
            return Err(java(null_error(&self.field)));
        };
        let sorted = sort(&items, self.order).map_err(|e| {
            if e.message
                .as_deref()
                .is_some_and(|m| m.starts_with("not supported by"))
            {
                IngestError::unsupported(
                    e.message
                        .unwrap_or_default()
                        .trim_start_matches("not supported by siemctl's offline engine: "),
                )
            } else {
                java(e)
            }
        })?;
        doc.set_field(&self.target_field, sorted)?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "sort"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: Vec<Value>, order: Order) -> String {
        sort(&items, order).unwrap().java_to_string()
    }

    #[test]
    fn sorts_like_java() {
        // SortProcessorTests: strings, integers, doubles, asc and desc
        let strs = || {
            vec![
                Value::from("foo"),
                Value::from("bar"),
                Value::from("baz"),
                Value::from("Zed"),
            ]
        };
        assert_eq!(s(strs(), Order::Ascending), "[Zed, bar, baz, foo]");
        assert_eq!(s(strs(), Order::Descending), "[foo, baz, bar, Zed]");
        let ints: Vec<Value> = [5, 3, 9, 1, 3, -2].into_iter().map(Value::Int).collect();
        assert_eq!(s(ints.clone(), Order::Ascending), "[-2, 1, 3, 3, 5, 9]");
        assert_eq!(s(ints, Order::Descending), "[9, 5, 3, 3, 1, -2]");
        let many: Vec<Value> = (0..100).rev().map(|i| Value::Int((i * 37) % 101)).collect();
        let sorted = sort(&many, Order::Ascending).unwrap().java_to_string();
        let mut expect: Vec<i32> = (0..100).map(|i| (i * 37) % 101).collect();
        expect.sort();
        assert_eq!(sorted, format!("{expect:?}"));
        let doubles = vec![
            Value::Double(1.5),
            Value::Double(-0.0),
            Value::Double(0.0),
            Value::Double(f64::NAN),
        ];
        assert_eq!(s(doubles, Order::Ascending), "[-0.0, 0.0, 1.5, NaN]");
        assert_eq!(s(vec![Value::Int(1)], Order::Ascending), "[1]");
    }

    #[test]
    fn mixed_types_fail_as_java() {
        // SortProcessorTests.testSortMixedStrings... the ClassCastException of compareTo
        let err = sort(&[Value::Int(1), Value::from("a")], Order::Ascending).unwrap_err();
        assert_eq!(&*err.class, "ClassCastException");
        assert_eq!(
            err.message.as_deref(),
            Some("class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')")
        );
        let err = sort(&[Value::new_map(), Value::new_map()], Order::Ascending).unwrap_err();
        assert!(err
            .message
            .unwrap()
            .starts_with("class java.util.HashMap cannot be cast to class java.lang.Comparable"));
        assert_eq!(
            Order::from_name("DESC").unwrap_err(),
            "Sort direction [DESC] not recognized. Valid values are: [asc, desc]"
        );
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("sort", json!({"field": "l"}));
        assert_eq!(
            run_ok(&*p, json!({"l": [3, 1, 2]})),
            json!({"l": [1, 2, 3]})
        );
        let p = build(
            "sort",
            json!({"field": "l", "order": "desc", "target_field": "t"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"l": ["a", "c", "b"]})),
            json!({"l": ["a", "c", "b"], "t": ["c", "b", "a"]})
        );
        let p = build("sort", json!({"field": "l"}));
        assert_eq!(
            run_err(&*p, json!({"l": "x"})).reason(),
            "field [l] of type [java.lang.String] cannot be cast to [java.util.List]"
        );
        assert_eq!(
            run_err(&*p, json!({"l": null})).reason(),
            "field [l] is null, cannot sort."
        );
        assert_eq!(
            run_err(&*p, json!({"l": [1, "a"]})).type_,
            "class_cast_exception"
        );
        // SortProcessorFactoryTests
        assert_eq!(
            build_err("sort", json!({"field": "l", "order": "invalid"})).reason(),
            "[order] Sort direction [invalid] not recognized. Valid values are: [asc, desc]"
        );
    }
}
