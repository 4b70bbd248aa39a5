//! The content rule: no notice of any kind, in any language, carries what a case holds.

use shelter_server::notify::content::{NoticeKind, render, render_digest, render_news};
use shelter_shared::language::Language;

/// A case as it might be: reference, narrative, names, country, kind, amount, partner.
const CASE: [&str; 12] = [
    "KXM4-7QPR-2D9F",
    "Hpakant",
    "jade",
    "Aung Naing",
    "Myanmar",
    "MM",
    "arrest",
    "detention",
    "2,500.00",
    "USD",
    "Mekong Legal Aid",
    "lawyer",
];

#[test]
fn no_notice_of_any_kind_in_any_language_carries_case_data() {
    for language in Language::ALL {
        for kind in NoticeKind::ALL {
            let rendered = render(kind.urgency(), "https://shelter.example.org/staff", language);
            let digest = render_digest(3, "https://shelter.example.org/staff", language);
            let texts = [&rendered.subject, &rendered.text, &digest.subject, &digest.text];
            for text in texts.into_iter().map(String::as_str).chain([kind.in_app_line()]) {
                for datum in CASE {
                    assert!(!text.contains(datum), "{kind:?} ({}) carries {datum:?}: {text}", language.tag());
                }
            }
            assert!(rendered.text.contains("https://shelter.example.org/staff"), "{kind:?} has the sign-in link");
            assert!(rendered.subject.starts_with("Shelter"), "{kind:?} ({}): a generic subject", language.tag());
        }
    }
}

/// Words that would tell a person holding the phone what the message is about, in each
/// language: the service, help and aid, a request or case, danger, a lawyer, rights.
fn telling_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["help", "aid", "request", "case", "danger", "lawyer", "rights", "network", "Shelter"],
        Language::Burmese => &["အကူအညီ", "တောင်းဆို", "အန္တရာယ်", "ရှေ့နေ", "အခွင့်အရေး", "ကွန်ရက်"],
        Language::Thai => &["ช่วยเหลือ", "คำขอ", "คดี", "อันตราย", "ทนาย", "สิทธิ", "เครือข่าย"],
        Language::Khmer => &["ជំនួយ", "សំណើ", "ករណី", "គ្រោះថ្នាក់", "មេធាវី", "សិទ្ធិ", "បណ្តាញ"],
        Language::Lao => &["ຊ່ວຍເຫຼືອ", "ຄຳຮ້ອງ", "ຄະດີ", "ອັນຕະລາຍ", "ທະນາຍ", "ສິດ", "ເຄືອຂ່າຍ"],
        Language::Vietnamese => &["giúp", "hỗ trợ", "yêu cầu", "vụ", "nguy hiểm", "luật sư", "quyền", "mạng lưới"],
        Language::ChineseSimplified => &["帮助", "援助", "请求", "案件", "危险", "律师", "权利", "网络"],
    }
}

#[test]
fn a_requesters_news_is_neutral_in_all_seven_languages() {
    for language in Language::ALL {
        let news = render_news(language, "Mai");
        let all = format!("{}\n{}", news.subject, news.text);
        for datum in CASE.iter().chain(telling_words(language)).chain(telling_words(Language::English)) {
            assert!(!all.contains(datum), "{}: {datum:?} in {all}", language.tag());
        }
        for giveaway in ["http", "://", "www.", "@", "Shelter", "shelter"] {
            assert!(!all.contains(giveaway), "{}: {giveaway:?} in {all}", language.tag());
        }
        assert!(news.text.ends_with("Mai\n"), "signed with the neutral name only");
        if language != Language::English {
            assert_ne!(news.text, render_news(Language::English, "Mai").text, "{} is translated", language.tag());
        }
    }
}
