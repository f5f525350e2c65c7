//! The content version: one semantic version for the whole content set.

use std::fmt;
use std::str::FromStr;

/// `major.minor.patch`, with minor and patch below 1000 so that the version fits the integer
/// `version` field of templates and pipelines (see [`ContentVersion::as_integer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ContentVersion {
    pub(crate) major: u32,
    pub(crate) minor: u32,
    pub(crate) patch: u32,
}

impl ContentVersion {
    /// The integer stamped into the `version` field of templates and pipelines:
    /// `major * 1_000_000 + minor * 1_000 + patch`. It orders like the version itself, so an
    /// apply can compare what a cluster holds with what it is about to write.
    pub(crate) fn as_integer(self) -> i64 {
        i64::from(self.major) * 1_000_000 + i64::from(self.minor) * 1_000 + i64::from(self.patch)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a content version: write it as MAJOR.MINOR.PATCH, e.g. `1.4.0`, with MINOR and PATCH below 1000 and MAJOR below 2000")]
pub(crate) struct ParseVersionError(String);

impl FromStr for ContentVersion {
    type Err = ParseVersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseVersionError(s.to_string());
        let parts: Vec<u32> = s
            .split('.')
            .map(|part| {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                    Err(err())
                } else {
                    part.parse().map_err(|_| err())
                }
            })
            .collect::<Result<_, _>>()?;
        match parts[..] {
            // The integer form must fit the pipeline's int `version` (i32).
            [major, minor, patch] if major < 2000 && minor < 1000 && patch < 1000 => {
                Ok(ContentVersion {
                    major,
                    minor,
                    patch,
                })
            }
            _ => Err(err()),
        }
    }
}

impl fmt::Display for ContentVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_encodes_in_order() {
        let v: ContentVersion = "1.4.2".parse().unwrap();
        assert_eq!(v.as_integer(), 1_004_002);
        assert_eq!(v.to_string(), "1.4.2");
        let older: ContentVersion = "1.3.999".parse().unwrap();
        assert!(older < v && older.as_integer() < v.as_integer());
        let max: ContentVersion = "1999.999.999".parse().unwrap();
        assert!(max.as_integer() <= i64::from(i32::MAX));
    }

    #[test]
    fn rejects_what_cannot_be_encoded() {
        for bad in [
            "1.4", "1.4.2.1", "v1.4.2", "1.1000.0", "1.-1.0", "2000.0.0", "", "1..2",
        ] {
            assert!(bad.parse::<ContentVersion>().is_err(), "{bad}");
        }
    }
}
