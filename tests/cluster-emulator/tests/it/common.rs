//! A started emulator plus a small blocking HTTP client.

use cluster_emulator::{Emulator, Options};
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;

pub(crate) struct Ctx {
    pub(crate) emu: Emulator,
    pub(crate) http: Client,
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) text: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Ctx {
    pub(crate) fn new() -> Ctx {
        Ctx::with(Options::default())
    }

    pub(crate) fn with(options: Options) -> Ctx {
        Ctx {
            emu: Emulator::start(options).expect("start"),
            http: Client::new(),
        }
    }

    pub(crate) fn os(&self, method: &str, path: &str) -> RequestBuilder {
        self.http.request(
            method.parse().unwrap(),
            format!("{}{path}", self.emu.opensearch_url()),
        )
    }

    pub(crate) fn osd(&self, method: &str, path: &str) -> RequestBuilder {
        let b = self.http.request(
            method.parse().unwrap(),
            format!("{}{path}", self.emu.dashboards_url()),
        );
        if method == "GET" {
            b
        } else {
            b.header("osd-xsrf", "true")
        }
    }

    pub(crate) fn send(&self, b: RequestBuilder) -> Reply {
        let r: Response = b.send().expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        Reply {
            status,
            headers,
            text: r.text().unwrap_or_default(),
        }
    }

    pub(crate) fn os_json(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let mut b = self.os(method, path);
        if let Some(v) = body {
            b = b.json(&v);
        }
        self.send(b)
    }

    pub(crate) fn osd_json(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let mut b = self.osd(method, path);
        if let Some(v) = body {
            b = b.json(&v);
        }
        self.send(b)
    }

    pub(crate) fn stats(&self) -> Value {
        self.send(self.os("GET", "/_emulator/stats")).json()
    }
}
