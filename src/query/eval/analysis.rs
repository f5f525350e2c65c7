//! The `standard` analyzer: Lucene's `StandardTokenizer` (Unicode word segmentation, UAX#29,
//! keeping the segments that contain a letter or a digit; tokens longer than
//! `max_token_length` 255 are split) and `LowerCaseFilter`, no stop words (OpenSearch's
//! default `stopwords: _none_`).
//!
//! Upstream: `lucene/core/src/java/org/apache/lucene/analysis/standard/StandardAnalyzer.java`,
//! `StandardTokenizerImpl.jflex`; OpenSearch `StandardAnalyzerProvider`. Word breaks come from
//! the `unicode-segmentation` crate's UAX#29 implementation (`unicode_words`: the segments with
//! an alphanumeric character, as the tokenizer's ALPHANUM/NUM/ideographic token types).

use unicode_segmentation::UnicodeSegmentation;

/// `StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH`.
const MAX_TOKEN_LENGTH: usize = 255;

/// The tokens of `text`, in order (their index is their position).
pub(crate) fn standard(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.unicode_words() {
        let chars: Vec<char> = word.chars().collect();
        for chunk in chars.chunks(MAX_TOKEN_LENGTH) {
            let token: String = chunk.iter().collect();
            out.push(token.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_on_uax29_boundaries_and_lowercased() {
        // Cases from Lucene's TestStandardAnalyzer.
        assert_eq!(
            standard("Failed password for root"),
            ["failed", "password", "for", "root"]
        );
        assert_eq!(standard("wi-fi"), ["wi", "fi"]);
        assert_eq!(standard("B2B"), ["b2b"]);
        assert_eq!(standard("2B"), ["2b"]);
        assert_eq!(standard("some-dashed-phrase"), ["some", "dashed", "phrase"]);
        assert_eq!(standard("dogs,chase,cats"), ["dogs", "chase", "cats"]);
        assert_eq!(standard("ac/dc"), ["ac", "dc"]);
        // Letters joined by MidLetter/MidNum stay one word; IPs and decimals too.
        assert_eq!(standard("O'Reilly"), ["o'reilly"]);
        assert_eq!(standard("10.0.0.1"), ["10.0.0.1"]);
        assert_eq!(standard("U.S.A."), ["u.s.a"]);
        assert_eq!(standard("user@example.com"), ["user", "example.com"]);
        assert_eq!(standard("/etc/passwd"), ["etc", "passwd"]);
        assert_eq!(standard("  ...  "), Vec::<String>::new());
    }

    #[test]
    fn long_tokens_are_split_at_255_characters() {
        let long = "a".repeat(300);
        let tokens = standard(&long);
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[0].len(), 255);
        assert_eq!(tokens[1].len(), 45);
    }
}
