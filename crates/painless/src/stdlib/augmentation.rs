//! `org.opensearch.painless.api.Augmentation`: the methods Painless adds to JDK classes
//! (`modules/lang-painless/src/main/java/org/opensearch/painless/api/Augmentation.java`).

use super::Registry;

pub(crate) fn register(_r: &mut Registry) {}
