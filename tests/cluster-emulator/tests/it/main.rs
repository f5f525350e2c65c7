//! The emulator's own tests, over real HTTP: one module per API area.

mod admin;
mod common;
mod dashboards;
mod documents;
mod ingest;
mod ism;
mod mapping;
mod pipelines;
mod scripts;
mod templates;
mod tenants;
