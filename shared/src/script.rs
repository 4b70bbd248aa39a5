//! Whether a text staff wrote looks written in the requester's language: judged by its
//! script, so the consent page can say when a summary is not in their language.

use crate::language::Language;

fn in_script(language: Language, c: char) -> bool {
    match language {
        Language::Burmese => matches!(c, '\u{1000}'..='\u{109F}' | '\u{AA60}'..='\u{AA7F}'),
        Language::Thai => matches!(c, '\u{0E00}'..='\u{0E7F}'),
        Language::Khmer => matches!(c, '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}'),
        Language::Lao => matches!(c, '\u{0E80}'..='\u{0EFF}'),
        Language::ChineseSimplified => {
            matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
        }
        Language::English | Language::Vietnamese => {
            c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
        }
    }
}

/// Letters found only in Vietnamese among the requester side's languages.
fn vietnamese_only(c: char) -> bool {
    matches!(c, 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ă' | 'Ă' | '\u{1EA0}'..='\u{1EF9}')
}

/// Whether most letters of `text` are in `language`'s script (and, for Vietnamese, it has
/// Vietnamese letters; for English, none). A text without letters is in every language.
pub fn seems_written_in(text: &str, language: Language) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return true;
    }
    let inside = letters.iter().filter(|c| in_script(language, **c)).count();
    let viet = letters.iter().any(|c| vietnamese_only(*c));
    let script_ok = inside * 2 >= letters.len();
    match language {
        Language::Vietnamese => script_ok && viet,
        Language::English => script_ok && !viet,
        _ => script_ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_script_is_recognised() {
        assert!(seems_written_in("ကျွန်ုပ်၏ အစ်ကိုကို ဖမ်းသွားသည်", Language::Burmese));
        assert!(seems_written_in("พี่ชายของฉันถูกจับ", Language::Thai));
        assert!(seems_written_in("បងប្រុសខ្ញុំត្រូវបានចាប់ខ្លួន", Language::Khmer));
        assert!(seems_written_in("ອ້າຍຂອງຂ້ອຍຖືກຈັບ", Language::Lao));
        assert!(seems_written_in("我的哥哥被拘留了", Language::ChineseSimplified));
        assert!(seems_written_in("Anh trai tôi bị bắt giữ", Language::Vietnamese));
        assert!(seems_written_in("My brother was detained", Language::English));
    }

    #[test]
    fn an_english_summary_is_not_burmese_nor_vietnamese() {
        let english = "Detained at Insein since Monday; needs a criminal lawyer (MM).";
        assert!(!seems_written_in(english, Language::Burmese));
        assert!(!seems_written_in(english, Language::Vietnamese));
        assert!(!seems_written_in(english, Language::ChineseSimplified));
        assert!(!seems_written_in("ကျွန်ုပ်၏ အစ်ကို", Language::English));
    }

    #[test]
    fn a_few_latin_names_in_a_burmese_text_are_fine() {
        assert!(seems_written_in("ဦးထွန်း (U Tun) ရှေ့နေ", Language::Burmese));
        assert!(seems_written_in("", Language::Thai));
    }
}
