//! Dates: the formats of OpenSearch's date processor (ISO8601, UNIX, UNIX_MS, TAI64N, Java patterns).
