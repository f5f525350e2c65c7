//! The `html_strip` processor: HTML markup removed from a string (or each string of a list) as
//! Lucene's `HTMLStripCharFilter` does it.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/HtmlStripProcessor.java`
//! (commit 9057871647fa5cab80b3b7c9489eb2a3587dd6fe), on `AbstractStringProcessor`: a value
//! without both `<` and `>` is returned as is, any other goes through
//! `org.apache.lucene.analysis.charfilter.HTMLStripCharFilter` (no escaped tags). That filter is a
//! JFlex lexer (`lucene/analysis/common/src/java/org/apache/lucene/analysis/charfilter/HTMLStripCharFilter.jflex`,
//! apache/lucene commit 24b2a6e616c3bc350a1338610e9a7ed428cb4f01, and its
//! `HTMLCharacterEntities.jflex`); this module runs the same lexical states and rules with
//! JFlex's matching discipline (in each state, the rule with the longest match wins, the first
//! one listed on a tie), each rule's regex on a lazy DFA that reports the longest match. What
//! the filter does: block-level tags, `<br>`, `<script>` and `<style>` blocks become a newline;
//! inline tags, comments, processing instructions and `<!...>` declarations disappear; CDATA
//! content stays; character references are decoded (a named one needs its `;` except at the
//! end of the input); anything that does not complete a construct is kept as text.

use std::sync::LazyLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{Anchored, Input, MatchKind};

use painless::value::Value;

use super::lowercase::abstract_string;
use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

/// `HTMLCharacterEntities.jflex`: the entity names and their characters (`&nbsp;` is U+00A0);
/// `quot`, `copy`, `gt`, `lt`, `reg` and `amp` are also accepted in upper case.
const ENTITIES: &[(&str, char)] = &[
    ("AElig", '\u{00C6}'),
    ("Aacute", '\u{00C1}'),
    ("Acirc", '\u{00C2}'),
    ("Agrave", '\u{00C0}'),
    ("Alpha", '\u{0391}'),
    ("Aring", '\u{00C5}'),
    ("Atilde", '\u{00C3}'),
    ("Auml", '\u{00C4}'),
    ("Beta", '\u{0392}'),
    ("Ccedil", '\u{00C7}'),
    ("Chi", '\u{03A7}'),
    ("Dagger", '\u{2021}'),
    ("Delta", '\u{0394}'),
    ("ETH", '\u{00D0}'),
    ("Eacute", '\u{00C9}'),
    ("Ecirc", '\u{00CA}'),
    ("Egrave", '\u{00C8}'),
    ("Epsilon", '\u{0395}'),
    ("Eta", '\u{0397}'),
    ("Euml", '\u{00CB}'),
    ("Gamma", '\u{0393}'),
    ("Iacute", '\u{00CD}'),
    ("Icirc", '\u{00CE}'),
    ("Igrave", '\u{00CC}'),
    ("Iota", '\u{0399}'),
    ("Iuml", '\u{00CF}'),
    ("Kappa", '\u{039A}'),
    ("Lambda", '\u{039B}'),
    ("Mu", '\u{039C}'),
    ("Ntilde", '\u{00D1}'),
    ("Nu", '\u{039D}'),
    ("OElig", '\u{0152}'),
    ("Oacute", '\u{00D3}'),
    ("Ocirc", '\u{00D4}'),
    ("Ograve", '\u{00D2}'),
    ("Omega", '\u{03A9}'),
    ("Omicron", '\u{039F}'),
    ("Oslash", '\u{00D8}'),
    ("Otilde", '\u{00D5}'),
    ("Ouml", '\u{00D6}'),
    ("Phi", '\u{03A6}'),
    ("Pi", '\u{03A0}'),
    ("Prime", '\u{2033}'),
    ("Psi", '\u{03A8}'),
    ("Rho", '\u{03A1}'),
    ("Scaron", '\u{0160}'),
    ("Sigma", '\u{03A3}'),
    ("THORN", '\u{00DE}'),
    ("Tau", '\u{03A4}'),
    ("Theta", '\u{0398}'),
    ("Uacute", '\u{00DA}'),
    ("Ucirc", '\u{00DB}'),
    ("Ugrave", '\u{00D9}'),
    ("Upsilon", '\u{03A5}'),
    ("Uuml", '\u{00DC}'),
    ("Xi", '\u{039E}'),
    ("Yacute", '\u{00DD}'),
    ("Yuml", '\u{0178}'),
    ("Zeta", '\u{0396}'),
    ("aacute", '\u{00E1}'),
    ("acirc", '\u{00E2}'),
    ("acute", '\u{00B4}'),
    ("aelig", '\u{00E6}'),
    ("agrave", '\u{00E0}'),
    ("alefsym", '\u{2135}'),
    ("alpha", '\u{03B1}'),
    ("amp", '&'),
    ("AMP", '&'),
    ("and", '\u{2227}'),
    ("ang", '\u{2220}'),
    ("apos", '\''),
    ("aring", '\u{00E5}'),
    ("asymp", '\u{2248}'),
    ("atilde", '\u{00E3}'),
    ("auml", '\u{00E4}'),
    ("bdquo", '\u{201E}'),
    ("beta", '\u{03B2}'),
    ("brvbar", '\u{00A6}'),
    ("bull", '\u{2022}'),
    ("cap", '\u{2229}'),
    ("ccedil", '\u{00E7}'),
    ("cedil", '\u{00B8}'),
    ("cent", '\u{00A2}'),
    ("chi", '\u{03C7}'),
    ("circ", '\u{02C6}'),
    ("clubs", '\u{2663}'),
    ("cong", '\u{2245}'),
    ("copy", '\u{00A9}'),
    ("COPY", '\u{00A9}'),
    ("crarr", '\u{21B5}'),
    ("cup", '\u{222A}'),
    ("curren", '\u{00A4}'),
    ("dArr", '\u{21D3}'),
    ("dagger", '\u{2020}'),
    ("darr", '\u{2193}'),
    ("deg", '\u{00B0}'),
    ("delta", '\u{03B4}'),
    ("diams", '\u{2666}'),
    ("divide", '\u{00F7}'),
    ("eacute", '\u{00E9}'),
    ("ecirc", '\u{00EA}'),
    ("egrave", '\u{00E8}'),
    ("empty", '\u{2205}'),
    ("emsp", '\u{2003}'),
    ("ensp", '\u{2002}'),
    ("epsilon", '\u{03B5}'),
    ("equiv", '\u{2261}'),
    ("eta", '\u{03B7}'),
    ("eth", '\u{00F0}'),
    ("euml", '\u{00EB}'),
    ("euro", '\u{20AC}'),
    ("exist", '\u{2203}'),
    ("fnof", '\u{0192}'),
    ("forall", '\u{2200}'),
    ("frac12", '\u{00BD}'),
    ("frac14", '\u{00BC}'),
    ("frac34", '\u{00BE}'),
    ("frasl", '\u{2044}'),
    ("gamma", '\u{03B3}'),
    ("ge", '\u{2265}'),
    ("gt", '>'),
    ("GT", '>'),
    ("hArr", '\u{21D4}'),
    ("harr", '\u{2194}'),
    ("hearts", '\u{2665}'),
    ("hellip", '\u{2026}'),
    ("iacute", '\u{00ED}'),
    ("icirc", '\u{00EE}'),
    ("iexcl", '\u{00A1}'),
    ("igrave", '\u{00EC}'),
    ("image", '\u{2111}'),
    ("infin", '\u{221E}'),
    ("int", '\u{222B}'),
    ("iota", '\u{03B9}'),
    ("iquest", '\u{00BF}'),
    ("isin", '\u{2208}'),
    ("iuml", '\u{00EF}'),
    ("kappa", '\u{03BA}'),
    ("lArr", '\u{21D0}'),
    ("lambda", '\u{03BB}'),
    ("lang", '\u{2329}'),
    ("laquo", '\u{00AB}'),
    ("larr", '\u{2190}'),
    ("lceil", '\u{2308}'),
    ("ldquo", '\u{201C}'),
    ("le", '\u{2264}'),
    ("lfloor", '\u{230A}'),
    ("lowast", '\u{2217}'),
    ("loz", '\u{25CA}'),
    ("lrm", '\u{200E}'),
    ("lsaquo", '\u{2039}'),
    ("lsquo", '\u{2018}'),
    ("lt", '<'),
    ("LT", '<'),
    ("macr", '\u{00AF}'),
    ("mdash", '\u{2014}'),
    ("micro", '\u{00B5}'),
    ("middot", '\u{00B7}'),
    ("minus", '\u{2212}'),
    ("mu", '\u{03BC}'),
    ("nabla", '\u{2207}'),
    ("nbsp", '\u{00A0}'),
    ("ndash", '\u{2013}'),
    ("ne", '\u{2260}'),
    ("ni", '\u{220B}'),
    ("not", '\u{00AC}'),
    ("notin", '\u{2209}'),
    ("nsub", '\u{2284}'),
    ("ntilde", '\u{00F1}'),
    ("nu", '\u{03BD}'),
    ("oacute", '\u{00F3}'),
    ("ocirc", '\u{00F4}'),
    ("oelig", '\u{0153}'),
    ("ograve", '\u{00F2}'),
    ("oline", '\u{203E}'),
    ("omega", '\u{03C9}'),
    ("omicron", '\u{03BF}'),
    ("oplus", '\u{2295}'),
    ("or", '\u{2228}'),
    ("ordf", '\u{00AA}'),
    ("ordm", '\u{00BA}'),
    ("oslash", '\u{00F8}'),
    ("otilde", '\u{00F5}'),
    ("otimes", '\u{2297}'),
    ("ouml", '\u{00F6}'),
    ("para", '\u{00B6}'),
    ("part", '\u{2202}'),
    ("permil", '\u{2030}'),
    ("perp", '\u{22A5}'),
    ("phi", '\u{03C6}'),
    ("pi", '\u{03C0}'),
    ("piv", '\u{03D6}'),
    ("plusmn", '\u{00B1}'),
    ("pound", '\u{00A3}'),
    ("prime", '\u{2032}'),
    ("prod", '\u{220F}'),
    ("prop", '\u{221D}'),
    ("psi", '\u{03C8}'),
    ("quot", '"'),
    ("QUOT", '"'),
    ("rArr", '\u{21D2}'),
    ("radic", '\u{221A}'),
    ("rang", '\u{232A}'),
    ("raquo", '\u{00BB}'),
    ("rarr", '\u{2192}'),
    ("rceil", '\u{2309}'),
    ("rdquo", '\u{201D}'),
    ("real", '\u{211C}'),
    ("reg", '\u{00AE}'),
    ("REG", '\u{00AE}'),
    ("rfloor", '\u{230B}'),
    ("rho", '\u{03C1}'),
    ("rlm", '\u{200F}'),
    ("rsaquo", '\u{203A}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201A}'),
    ("scaron", '\u{0161}'),
    ("sdot", '\u{22C5}'),
    ("sect", '\u{00A7}'),
    ("shy", '\u{00AD}'),
    ("sigma", '\u{03C3}'),
    ("sigmaf", '\u{03C2}'),
    ("sim", '\u{223C}'),
    ("spades", '\u{2660}'),
    ("sub", '\u{2282}'),
    ("sube", '\u{2286}'),
    ("sum", '\u{2211}'),
    ("sup", '\u{2283}'),
    ("sup1", '\u{00B9}'),
    ("sup2", '\u{00B2}'),
    ("sup3", '\u{00B3}'),
    ("supe", '\u{2287}'),
    ("szlig", '\u{00DF}'),
    ("tau", '\u{03C4}'),
    ("there4", '\u{2234}'),
    ("theta", '\u{03B8}'),
    ("thetasym", '\u{03D1}'),
    ("thinsp", '\u{2009}'),
    ("thorn", '\u{00FE}'),
    ("tilde", '\u{02DC}'),
    ("times", '\u{00D7}'),
    ("trade", '\u{2122}'),
    ("uArr", '\u{21D1}'),
    ("uacute", '\u{00FA}'),
    ("uarr", '\u{2191}'),
    ("ucirc", '\u{00FB}'),
    ("ugrave", '\u{00F9}'),
    ("uml", '\u{00A8}'),
    ("upsih", '\u{03D2}'),
    ("upsilon", '\u{03C5}'),
    ("uuml", '\u{00FC}'),
    ("weierp", '\u{2118}'),
    ("xi", '\u{03BE}'),
    ("yacute", '\u{00FD}'),
    ("yen", '\u{00A5}'),
    ("yuml", '\u{00FF}'),
    ("zeta", '\u{03B6}'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
];

/// An ASCII case-insensitive word as JFlex writes it (`[sS][cC]...`).
fn ci(word: &str) -> String {
    word.chars()
        .map(|c| format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase()))
        .collect()
}

/// The macros of the grammar, in Rust regex syntax.
struct Macros {
    name: String,
    inline_element: String,
    open_tag_content: String,
    tag_tail: String,
}

fn macros() -> Macros {
    let name = r"[:_\p{ID_Start}][-.:_\p{ID_Continue}]*".to_owned();
    let suffixes = [
        "abort",
        "blur",
        "change",
        "click",
        "dblclick",
        "error",
        "focus",
        "keydown",
        "keypress",
        "keyup",
        "load",
        "mousedown",
        "mousemove",
        "mouseout",
        "mouseover",
        "mouseup",
        "reset",
        "select",
        "submit",
        "unload",
    ]
    .map(ci)
    .join("|");
    let single = r#"'(?:\\'|[^']*)*'"#;
    let double = r#""(?:\\"|[^"]*)*""#;
    let ssi = format!(r#"<!--#(?:[^'"]|{single}|{double})*-->"#);
    let event = format!(r"\s+[oO][nN](?:{suffixes})\s*=\s*(?:{single}|{double})");
    let attribute = format!(r"\s+{name}\s*=\s*(?:{single}|{double})");
    let open_tag_content = format!("(?:{event}|[^<>]|{ssi}|{attribute})*");
    let inline = [
        "abbr", "acronym", "basefont", "bdo", "big", "cite", "code", "dfn", "em", "font", "img",
        "input", "kbd", "label", "samp", "select", "small", "span", "strike", "strong", "sub",
        "sup", "textarea", "tt", "var",
    ]
    .map(ci)
    .join("|");
    let inline_element = format!("(?:[aAbBiIqQsSuU]|{inline})");
    let tag_tail = format!(r"(?:=\s*{open_tag_content}|{open_tag_content})?\s*/?>");
    Macros {
        name,
        inline_element,
        open_tag_content,
        tag_tail,
    }
}

/// The lexical states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    Ampersand,
    NumericCharacter,
    CharacterReferenceTail,
    LeftAngleBracket,
    Bang,
    Comment,
    Script,
    ScriptComment,
    LeftAngleBracketSlash,
    LeftAngleBracketSpace,
    Cdata,
    ServerSideInclude,
    SingleQuotedString,
    DoubleQuotedString,
    EndTagTailExclude,
    EndTagTailSubstitute,
    StartTagTailExclude,
    StartTagTailSubstitute,
    Style,
    StyleComment,
}

/// What a rule does (the actions of the grammar, without the offset bookkeeping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    StartAmpersand,
    StartAngle,
    Char,
    Entity,
    Hash,
    SurrogatePair,
    HexReference,
    DecimalReference,
    ReferenceEnd,
    AppendStay,
    BrNewline,
    To(State, bool),
    Drop,
    Newline,
    BangDashes,
    BangCdata,
    CdataChar,
    CdataEnd,
    SsiFrom(State),
    SsiEnd,
    QuoteFrom(State, State),
    QuoteSkip,
    QuoteEnd,
    ScriptEnd,
    Fallback,
    Nothing,
}

struct Rule {
    dfa: DFA,
    action: Action,
}

fn rule(pattern: &str, action: Action) -> Rule {
    let dfa = DFA::builder()
        .configure(DFA::config().match_kind(MatchKind::All))
        .build(&format!("(?s:{pattern})"))
        .expect("the html_strip grammar compiles");
    Rule { dfa, action }
}

struct Lexer {
    rules: Vec<(State, Vec<Rule>)>,
}

/// A literal with the regex metacharacters it holds escaped.
fn lit(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if "[]\\.^$*+?(){}|".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

static LEXER: LazyLock<Lexer> = LazyLock::new(|| {
    use Action::*;
    use State::*;
    let m = macros();
    let entities = {
        let mut names: Vec<&str> = ENTITIES.iter().map(|(n, _)| *n).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.join("|")
    };
    let fallback = || rule(".", Fallback);
    let mut rules: Vec<(State, Vec<Rule>)> = Vec::new();
    rules.push((
        Initial,
        vec![
            rule("&", StartAmpersand),
            rule("<", StartAngle),
            rule(".", Char),
        ],
    ));
    rules.push((
        Ampersand,
        vec![
            rule(&format!("(?:{entities})"), Entity),
            rule("#", Hash),
            rule(
                "#[xX][dD][89aAbB][0-9a-fA-F]{2};&#[xX][dD][c-fC-F][0-9a-fA-F]{2};",
                SurrogatePair,
            ),
            rule(
                "#5[56][0-9]{3};&#[xX][dD][c-fC-F][0-9a-fA-F]{2};",
                SurrogatePair,
            ),
            rule(
                "#[xX][dD][89aAbB][0-9a-fA-F]{2};&#5[67][0-9]{3};",
                SurrogatePair,
            ),
            rule("#5[56][0-9]{3};&#5[67][0-9]{3};", SurrogatePair),
            fallback(),
        ],
    ));
    rules.push((
        NumericCharacter,
        vec![
            rule("[xX][0-9A-Fa-f]+", HexReference),
            rule("[0-9]+", DecimalReference),
            fallback(),
        ],
    ));
    rules.push((
        CharacterReferenceTail,
        vec![rule(";", ReferenceEnd), fallback()],
    ));
    rules.push((
        LeftAngleBracketSlash,
        vec![
            rule(r"\s+", AppendStay),
            rule(r"[bB][rR]\s*>", BrNewline),
            rule(&m.inline_element, To(EndTagTailExclude, true)),
            rule(&m.name, To(EndTagTailSubstitute, true)),
            fallback(),
        ],
    ));
    rules.push((EndTagTailExclude, vec![rule(r"\s*>", Drop), fallback()]));
    rules.push((
        EndTagTailSubstitute,
        vec![rule(r"\s*>", Newline), fallback()],
    ));
    let otc = &m.open_tag_content;
    rules.push((
        LeftAngleBracket,
        vec![
            rule("!", To(Bang, true)),
            rule("/", To(LeftAngleBracketSlash, true)),
            rule(r"\s+", To(LeftAngleBracketSpace, true)),
            rule(r"\?[^>]*[/?]>", Drop),
            rule(
                &format!(r"\s*[bB][rR](?:=\s*{otc}|{otc})?\s*/?>"),
                BrNewline,
            ),
            rule(
                &format!(r"\s*{}(?:{otc})?\s*>", ci("script")),
                To(Script, false),
            ),
            rule(
                &format!(r"\s*{}(?:{otc})?\s*>", ci("style")),
                To(Style, false),
            ),
            rule(&m.inline_element, To(StartTagTailExclude, true)),
            rule(&m.name, To(StartTagTailSubstitute, true)),
            fallback(),
        ],
    ));
    rules.push((
        LeftAngleBracketSpace,
        vec![
            rule(&m.inline_element, To(StartTagTailExclude, true)),
            rule(&m.name, To(StartTagTailSubstitute, true)),
            fallback(),
        ],
    ));
    rules.push((
        StartTagTailExclude,
        vec![rule(&m.tag_tail, Drop), fallback()],
    ));
    rules.push((
        StartTagTailSubstitute,
        vec![rule(&m.tag_tail, Newline), fallback()],
    ));
    rules.push((
        Bang,
        vec![
            rule("--", BangDashes),
            rule(">", Drop),
            rule(&lit("[CDATA["), BangCdata),
            rule(".", AppendStay),
        ],
    ));
    rules.push((
        Cdata,
        vec![rule(&lit("]]>"), CdataEnd), rule(".", CdataChar)],
    ));
    rules.push((
        Comment,
        vec![
            rule("<!--#", SsiFrom(Comment)),
            rule("-->", Drop),
            rule(".", Nothing),
        ],
    ));
    rules.push((
        ServerSideInclude,
        vec![
            rule("-->", SsiEnd),
            rule("'", QuoteFrom(ServerSideInclude, SingleQuotedString)),
            rule("\"", QuoteFrom(ServerSideInclude, DoubleQuotedString)),
            rule(".", Nothing),
        ],
    ));
    for (comment, block) in [(ScriptComment, Script), (StyleComment, Style)] {
        rules.push((
            comment,
            vec![
                rule("<!--#", SsiFrom(comment)),
                rule("'", QuoteFrom(comment, SingleQuotedString)),
                rule("\"", QuoteFrom(comment, DoubleQuotedString)),
                rule("-->", To(block, false)),
                rule(".", Nothing),
            ],
        ));
    }
    rules.push((
        SingleQuotedString,
        vec![
            rule(r"\\.", QuoteSkip),
            rule("'", QuoteEnd),
            rule(".", Nothing),
        ],
    ));
    rules.push((
        DoubleQuotedString,
        vec![
            rule(r"\\.", QuoteSkip),
            rule("\"", QuoteEnd),
            rule(".", Nothing),
        ],
    ));
    rules.push((
        Script,
        vec![
            rule("<!--", To(ScriptComment, false)),
            rule(&format!(r"</\s*{}\s*>", ci("script")), ScriptEnd),
            rule(".", Nothing),
        ],
    ));
    rules.push((
        Style,
        vec![
            rule("<!--", To(StyleComment, false)),
            rule(&format!(r"</\s*{}\s*>", ci("style")), ScriptEnd),
            rule(".", Nothing),
        ],
    ));
    Lexer { rules }
});

fn entity_value(name: &str) -> char {
    ENTITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or('\u{FFFD}', |(_, c)| *c)
}

/// A code point of a numeric reference (`Character.toChars`, U+FFFD for a surrogate).
fn code_point(cp: u32) -> String {
    if (0xD800..=0xDFFF).contains(&cp) {
        '\u{FFFD}'.to_string()
    } else {
        char::from_u32(cp).map(String::from).unwrap_or_default()
    }
}

/// The pair of a surrogate-pair rule (`&#xD83D;&#xDE00;` and its decimal variants), or `None`
/// when the decimal halves are not a high and a low surrogate (then only `#` is consumed).
fn surrogate_pair(text: &str) -> Option<char> {
    let (hi, lo) = text.split_once(";&#")?;
    let num = |s: &str| -> Option<u32> {
        let s = s.trim_start_matches('#').trim_end_matches(';');
        match s.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => s.parse().ok(),
        }
    };
    let (h, l) = (num(hi)?, num(lo)?);
    if !(0xD800..=0xDBFF).contains(&h) || !(0xDC00..=0xDFFF).contains(&l) {
        return None;
    }
    char::from_u32(0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00))
}

thread_local! {
    /// The lazy DFAs' caches, one set per thread (building them for every value would cost more
    /// than the stripping).
    static CACHES: std::cell::RefCell<Option<Vec<Vec<Cache>>>> = const { std::cell::RefCell::new(None) };
}

/// Runs the filter over `input`.
pub(crate) fn strip(input: &str) -> String {
    CACHES.with(|cell| {
        let mut slot = cell.borrow_mut();
        let caches = slot.get_or_insert_with(|| {
            LEXER
                .rules
                .iter()
                .map(|(_, rs)| rs.iter().map(|r| r.dfa.create_cache()).collect())
                .collect()
        });
        strip_with(input, caches)
    })
}

fn strip_with(input: &str, caches: &mut [Vec<Cache>]) -> String {
    let lexer = &*LEXER;
    let mut out = String::with_capacity(input.len());
    let mut state = State::Initial;
    let mut input_segment = String::new();
    let mut entity_segment = String::new();
    let mut restore_state = State::Initial;
    let mut previous_restore_state = State::Initial;
    let mut pos = 0usize;
    while pos < input.len() {
        let index = lexer
            .rules
            .iter()
            .position(|(s, _)| *s == state)
            .expect("every state has rules");
        let rules = &lexer.rules[index].1;
        let mut best: Option<(usize, Action)> = None;
        for (i, r) in rules.iter().enumerate() {
            let search = Input::new(input).range(pos..).anchored(Anchored::Yes);
            if let Ok(Some(m)) = r.dfa.try_search_fwd(&mut caches[index][i], &search) {
                let len = m.offset() - pos;
                if len > 0 && best.is_none_or(|(l, _)| len > l) {
                    best = Some((len, r.action));
                }
            }
        }
        let Some((len, action)) = best else { break };
        let text = &input[pos..pos + len];
        pos += len;
        use Action::*;
        match action {
            StartAmpersand => {
                input_segment.clear();
                input_segment.push('&');
                state = State::Ampersand;
            }
            StartAngle => {
                input_segment.clear();
                input_segment.push('<');
                state = State::LeftAngleBracket;
            }
            Char | CdataChar => out.push_str(text),
            Entity => {
                input_segment.push_str(text);
                entity_segment = entity_value(text).to_string();
                state = State::CharacterReferenceTail;
            }
            Hash => {
                input_segment.push('#');
                state = State::NumericCharacter;
            }
            SurrogatePair => match surrogate_pair(text) {
                Some(c) => {
                    out.push(c);
                    input_segment.clear();
                    state = State::Initial;
                }
                None => {
                    // consume only '#'
                    pos -= len - 1;
                    input_segment.push('#');
                    state = State::NumericCharacter;
                }
            },
            HexReference | DecimalReference => {
                input_segment.push_str(text);
                let (digits, radix, max_len) = if action == HexReference {
                    (&text[1..], 16, 6)
                } else {
                    (text, 10, 7)
                };
                let cp = if text.len() <= max_len {
                    u32::from_str_radix(digits, radix).ok()
                } else {
                    None
                };
                match cp.filter(|cp| *cp <= 0x10FFFF) {
                    Some(cp) => {
                        entity_segment = code_point(cp);
                        state = State::CharacterReferenceTail;
                    }
                    None => {
                        out.push_str(&input_segment);
                        input_segment.clear();
                        state = State::Initial;
                    }
                }
            }
            ReferenceEnd => {
                out.push_str(&entity_segment);
                input_segment.clear();
                state = State::Initial;
            }
            AppendStay => input_segment.push_str(text),
            BrNewline | Newline | ScriptEnd => {
                out.push('\n');
                input_segment.clear();
                state = State::Initial;
            }
            To(next, append) => {
                if append {
                    input_segment.push_str(text);
                }
                state = next;
            }
            Drop | CdataEnd => {
                input_segment.clear();
                state = State::Initial;
            }
            BangDashes => {
                if input_segment.chars().count() > 2 {
                    input_segment.push_str(text);
                } else {
                    state = State::Comment;
                }
            }
            BangCdata => {
                if input_segment.chars().count() > 2 {
                    input_segment.push_str(text);
                } else {
                    input_segment.clear();
                    state = State::Cdata;
                }
            }
            SsiFrom(from) => {
                restore_state = from;
                state = State::ServerSideInclude;
            }
            SsiEnd => state = restore_state,
            QuoteFrom(from, quote) => {
                if from == State::ServerSideInclude {
                    previous_restore_state = restore_state;
                }
                restore_state = from;
                state = quote;
            }
            QuoteSkip | Nothing => {}
            QuoteEnd => {
                state = restore_state;
                restore_state = previous_restore_state;
            }
            Fallback => {
                // push the character back, emit what was gathered as plain text
                pos -= len;
                out.push_str(&input_segment);
                input_segment.clear();
                state = State::Initial;
            }
        }
    }
    // %eof
    match state {
        State::CharacterReferenceTail => out.push_str(&entity_segment),
        State::Bang
        | State::Cdata
        | State::Ampersand
        | State::NumericCharacter
        | State::LeftAngleBracket
        | State::LeftAngleBracketSlash
        | State::LeftAngleBracketSpace => out.push_str(&input_segment),
        _ => {}
    }
    out
}

/// `HtmlStripProcessor.process`: unchanged unless the value has both `<` and `>`.
pub(crate) fn process(value: &str) -> Result<Value, IngestError> {
    if !value.contains('<') || !value.contains('>') {
        return Ok(Value::from(value));
    }
    Ok(Value::from(strip(value)))
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    Ok(abstract_string::build(
        "html_strip",
        options,
        common,
        Box::new(process),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(input: &str) -> String {
        process(input).unwrap().as_str().unwrap().to_owned()
    }

    #[test]
    fn upstream_processor_cases() {
        // HtmlStripProcessorTests: "<p><b>test</b>" -> "\ntest"
        assert_eq!(s("<p><b>test</b>"), "\ntest");
        assert_eq!(
            s("<p><b>test</b>middle<p><b>test</b>"),
            "\ntestmiddle\ntest"
        );
        assert_eq!(s("<p><b>test</b></p>"), "\ntest\n");
        assert_eq!(s("no markup"), "no markup");
        assert_eq!(s("a < b"), "a < b");
    }

    #[test]
    fn lucene_constructs() {
        // block-level and inline elements, br, script, style, comments, entities, CDATA
        assert_eq!(s("<div>a</div><span>b</span>"), "\na\nb");
        assert_eq!(s("line<br>next<br/>last<BR />"), "line\nnext\nlast\n");
        assert_eq!(s("x<script>var a = '<b>';</script>y"), "x\ny");
        assert_eq!(s("x<style>p { color: red }</style>y"), "x\ny");
        assert_eq!(s("a<!-- hidden <b> -->b<i>"), "ab");
        assert_eq!(
            s("<b>&lt;tag&gt; &amp; &quot;q&quot; &nbsp;&copy;</b>"),
            "<tag> & \"q\" \u{a0}\u{a9}"
        );
        assert_eq!(s("<b>&#65;&#x42;&#X43;</b>"), "ABC");
        assert_eq!(s("<b>&#xD83D;&#xDE00;</b>"), "\u{1F600}");
        assert_eq!(s("<b>&amp without semicolon</b>"), "&amp without semicolon");
        assert_eq!(s("<b>x</b>&amp"), "x&");
        assert_eq!(s("<b><![CDATA[<kept> text]]></b>"), "<kept> text");
        assert_eq!(s("<!DOCTYPE html><html>z</html>"), "\nz\n");
        assert_eq!(s("<?xml version=\"1.0\"?><a>q</a>"), "q");
        // an attribute value may hold '>'
        assert_eq!(s("<a href=\"x>y\">link</a>"), "link");
        assert_eq!(s("<div class='c' onclick=\"f('>')\">d</div>"), "\nd\n");
        // what does not complete a tag stays
        assert_eq!(s("1 <2 and 3> 0"), "1 <2 and 3> 0");
        assert_eq!(s("<>"), "<>");
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("html_strip", json!({"field": "f", "target_field": "t"}));
        assert_eq!(
            run_ok(&*p, json!({"f": "<p>x</p>"})),
            json!({"f": "<p>x</p>", "t": "\nx\n"})
        );
        assert_eq!(
            run_ok(&*p, json!({"f": ["<b>a</b>", "b"]})),
            json!({"f": ["<b>a</b>", "b"], "t": ["a", "b"]})
        );
    }
}
