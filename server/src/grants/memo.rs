//! What a payment reference or memo may say. Banks, mobile-money operators and whoever
//! reads a statement may report a transfer that names a network, a case or a person's
//! situation, so references stay bland (the disbursement page says how, per country, in
//! `money.ftl`).

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
}
