use super::*;

fn options(events: usize) -> Options {
    Options {
        seed: 1,
        events,
        at: "2026-11-27T00:00:00Z".parse().unwrap(),
    }
}

#[test]
fn same_options_give_the_same_events() {
    let a: Vec<RawEvent> = generate(&options(3000)).collect();
    let b: Vec<RawEvent> = generate(&options(3000)).collect();
    assert_eq!(a, b);
    let c: Vec<RawEvent> = generate(&Options {
        seed: 2,
        ..options(3000)
    })
    .collect();
    assert_ne!(a, c, "another seed draws other noise");
}

#[test]
fn events_is_the_total_and_indices_cover_exactly_what_is_sent() {
    for n in [0, 200, 1000, 5000] {
        let opts = options(n);
        let events: Vec<RawEvent> = generate(&opts).collect();
        let script =
            incident::script(1, incident_range(opts.at).0, incident_range(opts.at).1).len();
        assert_eq!(events.len(), n.max(script), "n = {n}");
        let sent: BTreeSet<String> = events.iter().map(|e| e.index.clone()).collect();
        assert_eq!(
            sent.into_iter().collect::<Vec<_>>(),
            indices(&opts),
            "n = {n}"
        );
    }
}

#[test]
fn a_window_across_a_month_boundary_uses_both_months() {
    let opts = Options {
        at: "2026-12-01T12:00:00Z".parse().unwrap(),
        ..options(4000)
    };
    let sent: BTreeSet<String> = generate(&opts).map(|e| e.index).collect();
    assert!(
        sent.contains("log-aws-cloudtrail-2026-11") && sent.contains("log-aws-cloudtrail-2026-12"),
        "{sent:?}"
    );
    assert_eq!(sent.into_iter().collect::<Vec<_>>(), indices(&opts));
}

#[test]
fn every_index_matches_its_template_pattern() {
    for e in generate(&options(2000)) {
        let family = match e.log_type {
            "web" => {
                assert!(
                    e.index.starts_with("log-web-apache-") || e.index.starts_with("log-web-nginx-"),
                    "{}",
                    e.index
                );
                continue;
            }
            other => other,
        };
        assert!(
            e.index.starts_with(&format!("log-{family}-")),
            "{} for {}",
            e.index,
            e.log_type
        );
    }
}

#[test]
fn events_are_in_time_order_within_the_window() {
    let opts = options(5000);
    let at = opts.at.as_millisecond();
    let (start, end) = incident_range(opts.at);
    assert_eq!(end, at - 3_600_000);
    assert!(end - start >= 24 * 3_600_000 && end - start <= 48 * 3_600_000);
    let mut last = i64::MIN;
    for e in incident::script(1, start, end) {
        assert!(
            e.ms >= start && e.ms <= end + 120_000,
            "incident event outside its range: {}",
            e.raw
        );
        assert!(e.ms >= last);
        last = e.ms;
    }
    for stream in Stream::ALL {
        let noise = noise::Noise::new(1, stream, 700, at - NOISE_BEFORE_AT_MS, at);
        let times: Vec<i64> = noise.map(|(ms, _)| ms).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{stream:?}");
        assert!(
            times
                .iter()
                .all(|t| *t >= at - NOISE_BEFORE_AT_MS && *t < at),
            "{stream:?}"
        );
    }
}

#[test]
fn json_records_are_json_and_lines_are_single_lines() {
    for e in generate(&options(3000)) {
        assert!(!e.raw.contains('\n'), "{}", e.raw);
        if e.log_type.starts_with("aws-") && e.log_type != "aws-vpcflowlogs" {
            let v: serde_json::Value =
                serde_json::from_str(&e.raw).unwrap_or_else(|err| panic!("{err}: {}", e.raw));
            assert!(v.is_object());
        }
    }
}

#[test]
fn the_story_is_in_the_events() {
    let events: Vec<RawEvent> = generate(&options(200)).collect();
    let has = |log_type: &str, needle: &str| {
        events
            .iter()
            .any(|e| e.log_type == log_type && e.raw.contains(needle))
    };
    use entities::*;
    assert!(has(
        "aws-cloudtrail",
        &format!(r#""accessKeyId":"{LEAKED_KEY}""#)
    ));
    for name in [
        "GetCallerIdentity",
        "CreateUser",
        "CreateAccessKey",
        "AttachUserPolicy",
        "StopLogging",
        "RunInstances",
    ] {
        assert!(
            has("aws-cloudtrail", &format!(r#""eventName":"{name}""#)),
            "{name}"
        );
    }
    assert!(has(
        "aws-cloudtrail",
        &format!(r#""awsRegion":"{MINER_REGION}""#)
    ));
    for ty in [
        "UnauthorizedAccess:EC2/SSHBruteForce",
        "Recon:EC2/PortProbeUnprotectedPort",
        "Backdoor:EC2/C&CActivity.B",
        "CryptoCurrency:EC2/BitcoinTool.B",
        "Persistence:IAMUser/AnomalousBehavior",
        "Discovery:IAMUser/AnomalousBehavior",
        "InstanceCredentialExfiltration.OutsideAWS",
    ] {
        assert!(has("aws-guardduty", ty), "{ty}");
        assert!(
            has("aws-securityhub", &ty.replace('/', "-")),
            "Security Hub import of {ty}"
        );
    }
    assert!(has(
        "linux-secure",
        &format!("Accepted password for {SSH_USER} from {ATTACKER_IP}")
    ));
    assert!(has(
        "linux-secure",
        &format!("new user: name={LINUX_BACKDOOR_USER}")
    ));
    assert!(has("aws-vpcflowlogs", &format!("{PRIVATE_IP} {POOL_IP} ")));
    assert!(has("web", &format!("{ATTACKER_IP} - - [")));
    assert!(has("web", &format!("\"GET {LEAK_PATH} HTTP/1.1\" 200")));
}

#[test]
fn the_story_addresses_are_not_in_the_noise() {
    let opts = options(20_000);
    let at = opts.at.as_millisecond();
    for stream in Stream::ALL {
        for (_, raw) in noise::Noise::new(1, stream, 2000, at - NOISE_BEFORE_AT_MS, at) {
            for ip in [
                entities::ATTACKER_IP,
                entities::POOL_IP,
                entities::SCANNER_IP,
            ] {
                let boundary = raw
                    .match_indices(ip)
                    .any(|(i, _)| !raw[i + ip.len()..].starts_with(|c: char| c.is_ascii_digit()));
                assert!(!boundary, "{ip} in noise: {raw}");
            }
        }
    }
}

#[test]
fn the_questions_file_parses_and_its_references_exist() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = questions::load(root).unwrap();
    assert!(file.questions.len() >= 10);
    assert_eq!(
        questions::missing_references(root, &file),
        Vec::<String>::new()
    );
    let sheet = questions::sheet(&file, options(0).at, true).unwrap();
    let text = questions::markdown(&sheet, true);
    assert!(text.contains(entities::LEAKED_USER) && text.contains(entities::ATTACKER_IP));
    assert!(!text.contains("{{"));
    let participants = questions::markdown(
        &questions::sheet(&file, options(0).at, false).unwrap(),
        false,
    );
    assert!(!participants.contains("**Answer**"));
}

#[test]
fn every_expected_value_is_in_the_generated_incident() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = questions::load(root).unwrap();
    let opts = options(0);
    let events: Vec<RawEvent> = generate(&opts).collect();
    let vars = questions::variables(opts.at);
    for q in &file.questions {
        for e in &q.expect {
            let value = questions::fill(e, &vars).unwrap();
            assert!(
                events.iter().any(|ev| ev.raw.contains(&value)),
                "question {}: {value} is in no event",
                q.id
            );
        }
    }
}

#[test]
fn questions_errors_name_the_file_and_line() {
    let path = std::path::Path::new("workshop/questions.yaml");
    let err =
        questions::parse(path, "title: t\nquestions:\n  - id: a\n    bogus: 1\n").unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("workshop/questions.yaml:"), "{text}");
    let err = questions::parse(
        path,
        "title: t\nquestions:\n  - id: a\n    question: \"{{nope}}\"\n    points: 10\n    hints: [{text: h, cost: 2}]\n    answer: x\n    searches: [s]\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown variable `nope`"), "{err}");
    assert!(
        err.to_string().starts_with("workshop/questions.yaml:3:"),
        "{err}"
    );
}

#[test]
fn the_committed_samples_are_the_generators_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (stream, expected) in sample::files(&sample::options()) {
        let path = root.join(sample::path(stream));
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(committed == expected, "{} differs from the generator's output: run `cargo test --lib workshop::sample::tests::write_samples -- --ignored` and regenerate the golden files", path.display());
    }
}

#[test]
fn each_stream_alone_is_the_merged_sequence_restricted_to_it() {
    // `workshop generate` writes the streams side by side: each must be exactly what the merged
    // sequence holds for it, in the same order (across a month boundary too).
    for at in ["2026-11-27T00:00:00Z", "2026-12-01T12:00:00Z"] {
        let opts = Options {
            at: at.parse().unwrap(),
            ..options(6000)
        };
        let all: Vec<RawEvent> = generate(&opts).collect();
        for stream in Stream::ALL {
            let alone: Vec<RawEvent> = generate_stream(&opts, stream).collect();
            let merged: Vec<RawEvent> =
                all.iter().filter(|e| e.stream == stream).cloned().collect();
            assert!(!alone.is_empty(), "{stream:?}");
            assert_eq!(alone, merged, "{stream:?} at {at}");
        }
    }
}

#[test]
fn noise_times_are_the_same_in_64_and_128_bits() {
    for (n, span) in [
        (1usize, 1i64),
        (7, 1000),
        (1_000_000, NOISE_BEFORE_AT_MS),
        (3, 5),
    ] {
        let noise = noise::Noise::new(9, Stream::Vpc, n, 1_000, 1_000 + span);
        for i in (0..n).step_by((n / 1000).max(1)) {
            let n128 = n.max(1) as i128;
            let slot_start = span as i128 * i as i128 / n128;
            let slot_len = (span as i128 * (i as i128 + 1) / n128 - slot_start).max(1);
            let key = noise.key_for_test();
            let jitter = (noise::splitmix(key ^ i as u64) as i128) % slot_len;
            assert_eq!(
                noise.time_of(i),
                1_000 + (slot_start + jitter) as i64,
                "n {n} i {i}"
            );
        }
    }
}
