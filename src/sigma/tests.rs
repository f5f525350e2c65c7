//! Conversion tests: rules in, queries or problems out.
