//! Name tokens for the registry's blind index.
//!
//! A name is normalised (compatibility forms folded, lower case, Latin diacritics removed so
//! "Nguyễn" and "Nguyen" meet, invisible joiners and spaces of zero width dropped) and cut
//! into words at spaces and punctuation. A word in a script written with spaces (Latin,
//! Vietnamese, …) is one token. Burmese, Thai, Khmer, Lao and Chinese are written without
//! spaces between words, so there a word is no unit to search by: such a run becomes the
//! pairs of neighbouring grapheme clusters (a base letter with its vowel signs and tone
//! marks), which any part of the name of two or more clusters shares. Han characters also
//! give one token each, so a one-character surname is found. Traditional Chinese characters
//! are folded to their simplified forms, one character at a time, so "陳大文" and "陈大文"
//! meet. The server keys every token with an HMAC before it is stored or looked up; the
//! plain tokens never leave memory.
//!
//! Tokens are stored, so changing any of this changes what old tokens mean: raise
//! [`VERSION`], and the server re-indexes every member indexed under an older one.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Scripts written without spaces between words.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF          // Thai, Lao
        | 0x1000..=0x109F | 0xA9E0..=0xA9FF | 0xAA60..=0xAA7F  // Myanmar
        | 0x1780..=0x17FF | 0x19E0..=0x19FF                    // Khmer
        | 0x3040..=0x30FF        // kana
    ) || han(c)
}

/// Han (Chinese) characters.
fn han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The version of the normal form and the tokens: 1 the first; 2 folds traditional Chinese
/// to simplified.
pub const VERSION: i32 = 2;

/// OpenCC's traditional-to-simplified tables (embedded; loading them reads no file).
static TO_SIMPLIFIED: LazyLock<Option<OpenCC>> = LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

/// A Han character's simplified form (itself if it has none): character by character, never
/// by phrase, so a part of a name folds as it does inside the whole name; where a
/// traditional character has several simplified forms, always OpenCC's first.
fn simplified(c: char, out: &mut String) {
    let mut one = [0; 4];
    match TO_SIMPLIFIED.as_ref().map(|t2s| t2s.convert(c.encode_utf8(&mut one))) {
        Some(folded) if folded.chars().count() == 1 => out.push_str(&folded),
        _ => out.push(c),
    }
}

/// Spaces of zero width and joiners, which writers of Burmese and Khmer use (or not) at will.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// The normal form names are compared in.
pub fn normalise(name: &str) -> String {
    let folded: String = name
        .nfkd()
        .filter(|c| !invisible(*c) && !matches!(*c as u32, 0x0300..=0x036F))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let mut normal = String::with_capacity(folded.len());
    for c in folded.nfc() {
        if han(c) { simplified(c, &mut normal) } else { normal.push(c) }
    }
    normal
}

/// The words of a normalised name: runs of letters, digits and their marks.
fn words(normal: &str) -> impl Iterator<Item = &str> {
    normal.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c))).filter(|w| !w.is_empty())
}

/// Splits a word where it passes between a script written with spaces and one without.
fn runs(word: &str) -> Vec<(bool, &str)> {
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut kind: Option<bool> = None;
    for (at, c) in word.char_indices() {
        // A mark belongs to the letter before it.
        if is_combining_mark(c) {
            continue;
        }
        let this = unspaced(c);
        if kind.is_some_and(|k| k != this) {
            out.push((kind.unwrap_or(false), &word[start..at]));
            start = at;
        }
        kind = Some(this);
    }
    if start < word.len() {
        out.push((kind.unwrap_or(false), &word[start..]));
    }
    out
}

/// The tokens a name is indexed under, each prefixed by its kind, without repeats.
pub fn index_tokens(name: &str) -> Vec<String> {
    tokens(name, true)
}

/// The tokens a search for `query` needs a member to have (all of them); none when the
/// query holds no letter or digit.
pub fn query_tokens(query: &str) -> Vec<String> {
    tokens(query, false)
}

fn tokens(text: &str, indexing: bool) -> Vec<String> {
    let normal = normalise(text);
    let mut out = Vec::new();
    for word in words(&normal) {
        for (without_spaces, run) in runs(word) {
            if !without_spaces {
                out.push(format!("w:{run}"));
                continue;
            }
            let clusters: Vec<&str> = run.graphemes(true).collect();
            let singles = clusters.len() == 1 || indexing;
            if clusters.len() >= 2 {
                out.extend(clusters.windows(2).map(|pair| format!("g:{}{}", pair[0], pair[1])));
            }
            if singles {
                // One cluster alone: searched as itself (a Han character indexes as itself too).
                out.extend(
                    clusters.iter().filter(|c| clusters.len() == 1 || c.chars().all(han)).map(|c| format!("g:{c}")),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(name: &str, query: &str) -> bool {
        let index = index_tokens(name);
        let wanted = query_tokens(query);
        !wanted.is_empty() && wanted.iter().all(|t| index.contains(t))
    }

    #[test]
    fn latin_and_vietnamese_fold_case_and_diacritics() {
        assert!(finds("Nguyễn Văn Đức", "nguyen duc"));
        assert!(finds("Nguyễn Văn Đức", "ĐỨC"));
        assert!(!finds("Nguyễn Văn Đức", "nguyen an"));
        assert!(finds("Ｓｏｍ Ｐｈｏｒｎ", "som")); // full-width forms fold
    }

    #[test]
    fn scripts_without_spaces_match_any_part_of_two_clusters() {
        assert!(finds("สมชาย ใจดี", "ชาย"), "Thai");
        assert!(finds("สมชายใจดี", "ใจดี"), "Thai written as one run");
        assert!(!finds("สมชาย", "ใจดี"));
        assert!(finds("အောင်ဆန်းစုကြည်", "ဆန်း"), "Burmese");
        assert!(finds("အောင်\u{200B}ဆန်း", "အောင်ဆန်း"), "a zero-width space changes nothing");
        assert!(finds("សុខ សុភា", "សុភា"), "Khmer");
        assert!(finds("ສົມພອນ", "ພອນ"), "Lao");
        assert!(finds("王小明", "小明"), "Chinese");
        assert!(finds("王小明", "王"), "a one-character surname");
        assert!(!finds("王小明", "李"));
    }

    #[test]
    fn traditional_and_simplified_chinese_find_each_other() {
        assert!(TO_SIMPLIFIED.is_some(), "the embedded tables load");
        assert!(finds("陳大文", "陈大文"), "traditional name, simplified query");
        assert!(finds("刘晓华", "劉曉華"), "simplified name, traditional query");
        assert!(finds("張偉", "张"), "a one-character surname in the other script");
        assert!(finds("鍾國強", "国强"), "a part of the name in the other script");
        assert!(finds("黃乾坤", "乾坤"), "a phrase OpenCC keeps whole still folds by character");
        assert!(!finds("陳大文", "李大文"));
        assert_eq!(normalise("臺灣 Lin"), normalise("台湾 lin"));
    }

    #[test]
    fn a_query_of_punctuation_only_has_no_tokens() {
        assert!(query_tokens(" - , ").is_empty());
    }

    #[test]
    fn mixed_scripts_in_one_word_split() {
        assert!(finds("Lin王小明", "lin"));
        assert!(finds("Lin王小明", "小明"));
    }
}
