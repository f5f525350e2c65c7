//! Grok: OpenSearch's pattern bank on the Oniguruma engine.
