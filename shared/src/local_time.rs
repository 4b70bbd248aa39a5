//! The requester's local time: each country of the region keeps one offset from UTC all
//! year (none of them uses daylight saving), so a fixed table is exact.

/// Minutes east of UTC for an ISO 3166 alpha-2 code the intake form offers; `None` for
/// any other (then times are shown in UTC).
pub fn utc_offset_minutes(country: &str) -> Option<i32> {
    let minutes = match country.to_ascii_uppercase().as_str() {
        "IN" => 330,
        "NP" => 345,
        "BD" => 360,
        "MM" => 390,
        "KH" | "LA" | "TH" | "VN" | "ID" => 420,
        "CN" | "HK" | "TW" | "MY" | "SG" | "PH" => 480,
        "JP" | "KR" | "TL" => 540,
        _ => return None,
    };
    Some(minutes)
}

/// The time zones a staff member may read the staff pages in, as minutes east of UTC: the
/// region's own, and a few where staff travel or work from (no daylight saving is followed).
pub const STAFF_OFFSETS: [i32; 14] = [-480, -300, 0, 60, 120, 180, 330, 345, 360, 390, 420, 480, 540, 600];

/// Whether `minutes` is one of [`STAFF_OFFSETS`].
pub fn is_staff_offset(minutes: i32) -> bool {
    STAFF_OFFSETS.contains(&minutes)
}

/// `UTC+6:30`, `UTC+7`, `UTC` for an offset in minutes.
pub fn offset_label(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    match (minutes, rest) {
        (0, _) => "UTC".to_owned(),
        (_, 0) => format!("UTC{sign}{hours}"),
        _ => format!("UTC{sign}{hours}:{rest:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn myanmar_is_six_and_a_half_hours_ahead() {
        assert_eq!(utc_offset_minutes("MM"), Some(390));
        assert_eq!(utc_offset_minutes("mm"), Some(390));
        assert_eq!(offset_label(390), "UTC+6:30");
        assert_eq!(offset_label(420), "UTC+7");
        assert_eq!(offset_label(345), "UTC+5:45");
        assert_eq!(utc_offset_minutes("FR"), None);
    }

    #[test]
    fn every_country_of_the_intake_form_has_a_time() {
        for code in
            ["KH", "CN", "LA", "MM", "TH", "VN", "BD", "HK", "IN", "ID", "JP", "MY", "NP", "PH", "SG", "KR", "TW", "TL"]
        {
            assert!(utc_offset_minutes(code).is_some(), "{code}");
        }
    }
}
