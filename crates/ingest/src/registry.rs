//! Processor types and their factories (`IngestService`'s `processorFactories`, filled by
//! `IngestCommonModulePlugin.getProcessors` and the other ingest plugins of a 2.19 node).
//!
//! [`STANDARD`] is the plain list of the processor types the engine knows; a type that is not
//! in it is the creation error "No processor type exists with name [x]" (with the
//! `processor_type` metadata), as on a node without that processor: so `uri_parts`, `redact`,
//! `reroute`, `geoip` (Amazon OpenSearch Service) ... fail exactly as on OpenSearch 2.19.
//! To add a processor: one line `("type", crate::processors::module::factory)`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::processor::Factory;
use crate::processors;

/// The processor types of OpenSearch 2.19 the engine implements, with their factories.
pub const STANDARD: &[(&str, Factory)] = &[
    ("append", processors::append::factory),
    ("bytes", processors::bytes::factory),
    ("community_id", processors::community_id::factory),
    ("convert", processors::convert::factory),
    ("copy", processors::copy::factory),
    ("csv", processors::csv::factory),
    ("date", processors::date::factory),
    ("date_index_name", processors::date_index_name::factory),
    ("dissect", processors::dissect::factory),
    ("dot_expander", processors::dot_expander::factory),
    ("drop", processors::drop::factory),
    ("fail", processors::fail::factory),
    ("fingerprint", processors::fingerprint::factory),
    ("foreach", processors::foreach::factory),
    ("grok", processors::grok::factory),
    ("gsub", processors::gsub::factory),
    ("html_strip", processors::html_strip::factory),
    ("join", processors::join::factory),
    ("json", processors::json::factory),
    ("kv", processors::kv::factory),
    ("lowercase", processors::lowercase::factory),
    ("pipeline", processors::pipeline::factory),
    ("remove", processors::remove::factory),
    ("remove_by_pattern", processors::remove_by_pattern::factory),
    ("rename", processors::rename::factory),
    ("script", processors::script::factory),
    ("set", processors::set::factory),
    ("sort", processors::sort::factory),
    ("split", processors::split::factory),
    ("trim", processors::trim::factory),
    ("uppercase", processors::uppercase::factory),
    ("urldecode", processors::urldecode::factory),
    ("user_agent", processors::user_agent::factory),
];

/// A table of processor factories.
#[derive(Clone)]
pub struct Registry {
    factories: HashMap<&'static str, Factory>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&&str> = self.factories.keys().collect();
        names.sort();
        f.debug_struct("Registry").field("types", &names).finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn empty() -> Registry {
        Registry {
            factories: HashMap::new(),
        }
    }

    /// The registry with every processor of [`STANDARD`].
    pub fn standard() -> Registry {
        let mut r = Registry::empty();
        for (name, factory) in STANDARD {
            r.register(name, *factory);
        }
        r
    }

    /// A shared standard registry.
    pub fn standard_static() -> &'static Registry {
        static STANDARD_REGISTRY: OnceLock<Registry> = OnceLock::new();
        STANDARD_REGISTRY.get_or_init(Registry::standard)
    }

    /// Adds (or replaces) a processor type.
    pub fn register(&mut self, name: &'static str, factory: Factory) {
        self.factories.insert(name, factory);
    }

    pub fn get(&self, name: &str) -> Option<Factory> {
        self.factories.get(name).copied()
    }

    /// The processor types, sorted.
    pub fn types(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.factories.keys().copied().collect();
        names.sort_unstable();
        names
    }
}
