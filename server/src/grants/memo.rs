//! What a payment reference or memo may say. Banks, mobile-money operators and whoever
//! reads a statement may report a transfer that names a network, a case or a person's
//! situation, so references stay bland and the disbursement page says how, per country.

/// Words a payment reference must not carry (compared in lower case).
const RISKY: &[&str] = &[
    "activist",
    "arrest",
    "asylum",
    "bail",
    "case",
    "court",
    "defender",
    "detention",
    "emergency",
    "grant",
    "human rights",
    "lawsuit",
    "lawyer",
    "ngo",
    "police",
    "prison",
    "protest",
    "refugee",
    "relocation",
    "shelter",
    "slapp",
];

/// Why a reference is refused, if it is: it names the case or a risky word.
pub fn check_reference(reference: &str, case_reference: &str) -> Result<(), String> {
    let lower = reference.to_lowercase();
    let compact: String = lower.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let case_compact: String = case_reference.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if !case_compact.is_empty() && compact.contains(&case_compact) {
        return Err("The payment reference must not carry the case reference.".into());
    }
    if let Some(word) = RISKY.iter().find(|w| lower.contains(*w)) {
        return Err(format!(
            "The payment reference must not say {word:?}: use a bland reference (an invoice number, \"family support\")."
        ));
    }
    Ok(())
}

/// Safe memo wording for payments into `country` (ISO 3166 alpha-2).
pub fn guidance(country: &str) -> &'static str {
    match country {
        "MM" => {
            "Myanmar: banks and mobile wallets (KBZPay, WavePay) are watched and transfers from abroad are questioned. \
             Send through a trusted intermediary where possible; as memo use a family or trade phrase (\"family support\", \
             \"goods payment\") and never an organisation's name."
        }
        "TH" => {
            "Thailand: PromptPay and bank memos are visible to the recipient's bank. Use \"invoice\" with a plain number, \
             or \"family support\"; avoid the names of foundations or projects."
        }
        "KH" => {
            "Cambodia: ABA and Wing transfers may be reviewed. Use a neutral memo (\"personal transfer\", \"household\"); \
             for lawyers, their own invoice number only."
        }
        "LA" => {
            "Laos: bank transfers from abroad draw attention. Prefer payment to the provider directly or cash through a \
             trusted intermediary; memo \"personal\" or an invoice number."
        }
        "VN" => {
            "Vietnam: transfers from foreign organisations are reported. Pay providers directly where possible; memo an \
             invoice number or \"family support\", never a project or NGO name."
        }
        "CN" => {
            "China: transfers are monitored and overseas funding of civil society is restricted. Use a trusted \
             intermediary or pay the provider directly; memo a plain trade phrase, never an organisation's name."
        }
        _ => {
            "Keep the memo bland: an invoice number, \"family support\" or \"personal transfer\". Never the network's \
             name, the case, or the person's situation."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_naming_the_case_or_the_situation_are_refused() {
        assert!(check_reference("INV-2026-114", "SH-AB12-CD34").is_ok());
        assert!(check_reference("family support", "SH-AB12-CD34").is_ok());
        assert!(check_reference("ref sh ab12 cd34", "SH-AB12-CD34").is_err());
        assert!(check_reference("Bail payment", "SH-AB12-CD34").is_err());
        assert!(check_reference("Human Rights Fund", "SH-AB12-CD34").is_err());
    }

    #[test]
    fn every_mekong_country_has_its_own_guidance() {
        for country in ["MM", "TH", "KH", "LA", "VN", "CN"] {
            assert!(guidance(country).contains(':'), "{country}");
            assert_ne!(guidance(country), guidance("FR"));
        }
    }
}
