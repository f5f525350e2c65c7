//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `name` by edit distance, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a, I, S>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(name, c.as_ref()), c.as_ref()))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["source.ip", "source.port", "destination.ip"];
        assert_eq!(did_you_mean("source.ipp", &names), Some("source.ip".into()));
        assert_eq!(
            did_you_mean("sorce.port", &names),
            Some("source.port".into())
        );
        assert_eq!(did_you_mean("user.name", &names), None);
    }
}
