//! siemctl's integration tests: they run the binary as a user would.

mod apply;
mod cli;
mod common;
mod compose;
mod content_test;
mod fields;
mod ingest;
mod new;
mod normalisation;
mod pull;
mod real_world;
mod render;
mod round_trips;
mod secrets;
mod sigma;
mod tenants;
mod validate;
mod workshop_generate;
mod workshop_load;
