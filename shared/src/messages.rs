//! A form's messages by the field they are about, in both languages: what the browser form and
//! the pages the server draws show on each field, from the shared parsers' findings or from a
//! problem the server answered.

use crate::error::{FieldError, Problem};

/// Messages by the field they are about: field → (Vietnamese, English). What a form shows on
/// each field, whether the browser or the server draws it.
pub type FieldMessages = std::collections::BTreeMap<String, (String, String)>;

/// The messages of the shared parsers' findings on their fields (the first on a field stays).
pub fn field_messages(errors: &[FieldError]) -> FieldMessages {
    let mut m = FieldMessages::new();
    for e in errors {
        m.entry(e.field.clone())
            .or_insert_with(|| (e.error.message_vi(), e.error.message_en()));
    }
    m
}

impl Problem {
    /// The problem's messages on the fields it names (the first on a field stays), or on the field
    /// it names as a whole, else on `form`.
    pub fn by_field(&self) -> FieldMessages {
        let mut m = FieldMessages::new();
        for e in &self.errors {
            m.entry(e.field.clone())
                .or_insert_with(|| (e.message_vi.clone(), e.message_en.clone()));
        }
        if m.is_empty() {
            m.insert(
                self.field.clone().unwrap_or_else(|| "form".into()),
                (self.message_vi.clone(), self.message_en.clone()),
            );
        }
        m
    }
}
