//! The content rule: no notice of any kind carries what a case holds.

use shelter_server::notify::content::{NoticeKind, render};

#[test]
fn no_notice_of_any_kind_carries_case_data() {
    // A case as it might be: reference, narrative, names, country, kind, amount, partner.
    let case = [
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
    for kind in NoticeKind::ALL {
        let rendered = render(kind.urgency(), "https://shelter.example.org/staff");
        let texts = [rendered.subject.as_str(), rendered.text.as_str(), kind.in_app_line()];
        for text in texts {
            for datum in case {
                assert!(!text.contains(datum), "{kind:?} carries {datum:?}: {text}");
            }
        }
        assert!(rendered.text.contains("https://shelter.example.org/staff"), "{kind:?} has the sign-in link");
        assert!(rendered.subject.starts_with("Shelter: "), "{kind:?}: a generic subject");
    }
}
