//! siemctl's integration tests: they run the binary as a user would.

mod apply;
mod cli;
mod common;
mod content_test;
mod ingest;
mod new;
mod pull;
mod render;
mod secrets;
mod validate;
mod workshop_generate;
mod workshop_load;
