//! siemctl's integration tests: they run the binary as a user would.

mod annotations;
mod apply;
mod ci_example;
mod cli;
mod common;
mod compose;
mod content_test;
mod fields;
mod fmt;
mod hints;
mod ingest;
mod new;
mod normalisation;
mod planfile;
mod pull;
mod real_world;
mod render;
mod round_trips;
mod secrets;
mod select;
mod sigma;
mod targets;
mod unlock;
mod validate;
mod workshop_generate;
mod workshop_load;
