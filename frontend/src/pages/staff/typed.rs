//! What someone typed into a form that was refused (a mistake, an expired step-up, a change
//! made meanwhile): the page comes back with that form filled in, so no work is lost.

/// The fields of one refused form, as sent.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// Which form: the last segment of its action (`triage`, `close`, `messages`, `grants`…).
    pub form: String,
    /// Its fields as sent (a name may repeat, as ticked boxes do).
    pub values: Vec<(String, String)>,
}

impl Typed {
    /// The fields sent to `form`; absent ones are left out.
    pub fn new<'a>(form: &str, values: impl IntoIterator<Item = (&'a str, Option<String>)>) -> Typed {
        let values = values.into_iter().filter_map(|(name, value)| value.map(|v| (name.to_owned(), v))).collect();
        Typed { form: form.to_owned(), values }
    }

    /// Whether these are `form`'s fields.
    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }

    /// What was typed into `name` of `form`, or nothing.
    pub fn get(&self, form: &str, name: &str) -> String {
        self.all(form, name).into_iter().next().unwrap_or_default()
    }

    /// Every value sent as `name` of `form` (ticked boxes).
    pub fn all(&self, form: &str, name: &str) -> Vec<String> {
        if !self.is(form) {
            return vec![];
        }
        self.values.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Typed;

    #[test]
    fn values_belong_to_their_form_only() {
        let typed = Typed::new(
            "notes",
            [("body", Some("half a note".to_owned())), ("missing", None), ("body", Some("second".into()))],
        );
        assert_eq!(typed.get("notes", "body"), "half a note");
        assert_eq!(typed.all("notes", "body"), ["half a note", "second"]);
        assert_eq!(typed.get("messages", "body"), "", "another form stays empty");
        assert_eq!(typed.get("notes", "missing"), "");
    }
}
