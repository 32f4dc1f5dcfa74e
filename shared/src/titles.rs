//! The emulation titles of a unit's sub-units (danh hiệu thi đua của các đơn vị trực thuộc).
//!
//! Criterion 5 of an agency or an enterprise (TT 124 art. 6.5) and 6 of a school (art. 7.6) asks
//! that at least 70% of the unit's sub-units — its departments, workshops and branches; a
//! school's classes and teams — hold the emulation titles the article names. Those are titles of
//! the emulation law (Luật Thi đua, khen thưởng), given by the unit's own emulation council, not
//! recognition under TT 124: so the share is not counted from TT 124 assessments of units below
//! (version 1 did that) but from what the unit records once a year — how many sub-units it has,
//! how many hold such a title, which titles, and the decision that gave them. The share decides
//! the criterion against the set's `children_threshold_percent` (70 by default, the figure of
//! both articles; a province's own set may name another).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::UnitKind;
use crate::error::{Errors, FieldError, ValidationError};
use crate::registration::DOCUMENT_MAX;

/// The kinds whose 70% criterion counts sub-units' emulation titles (arts. 6.5, 7.6).
pub const TITLED_KINDS: &[UnitKind] = &[UnitKind::Agency, UnitKind::Enterprise, UnitKind::School];

/// The most sub-units one unit may declare (a large enterprise's workshops and teams, a large
/// school's classes stay well below it).
pub const SUBUNITS_MAX: u32 = 10_000;

/// `PUT /api/v1/units/{code}/subunit-titles/{year}`: the sub-units' titles of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubunitTitlesRequest {
    /// How many sub-units the unit has (phòng, ban, phân xưởng, chi nhánh; a school's classes).
    pub subunits: u32,
    /// How many of them hold a title the article names this year.
    pub titled: u32,
    /// Which titles, as the decision gives them, e.g. `Tập thể lao động tiên tiến`.
    pub titles: String,
    /// The decision that gave them, e.g. `15/QĐ-HĐTĐKT ngày 10/11/2026`.
    pub document: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A [`SubunitTitlesRequest`] as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubunitTitles {
    pub subunits: u32,
    pub titled: u32,
    pub titles: String,
    pub document: String,
    pub note: Option<String>,
}

impl SubunitTitlesRequest {
    /// At least one sub-unit and at most [`SUBUNITS_MAX`], no more titled than there are, the
    /// titles and the decision each a line.
    pub fn parse(&self) -> Result<NewSubunitTitles, Vec<FieldError>> {
        let mut e = Errors::new();
        if !(1..=SUBUNITS_MAX).contains(&self.subunits) {
            e.push(
                ValidationError::OutOfRange {
                    min: 1,
                    max: i64::from(SUBUNITS_MAX),
                }
                .on("subunits"),
            );
        } else if self.titled > self.subunits {
            e.push(
                ValidationError::OutOfRange {
                    min: 0,
                    max: i64::from(self.subunits),
                }
                .on("titled"),
            );
        }
        let titles = e.check(
            "titles",
            crate::text::parse_line(&self.titles, DOCUMENT_MAX),
        );
        let document = e.check(
            "document",
            crate::text::parse_line(&self.document, DOCUMENT_MAX),
        );
        let note = crate::api::optional(&mut e, "note", self.note.as_deref(), |n| {
            crate::text::parse_line(n, DOCUMENT_MAX)
        });
        e.into_result()?;
        match (titles, document) {
            (Some(titles), Some(document)) => Ok(NewSubunitTitles {
                subunits: self.subunits,
                titled: self.titled,
                titles,
                document,
                note,
            }),
            (None, _) => Err(vec![ValidationError::Required.on("titles")]),
            (_, None) => Err(vec![ValidationError::Required.on("document")]),
        }
    }
}

/// Whether `titled` of `subunits` reach `threshold_percent` ("từ 70% trở lên": the threshold
/// itself counts). No sub-unit, no share.
pub fn meets(titled: u32, subunits: u32, threshold_percent: u32) -> bool {
    subunits > 0 && u64::from(titled) * 100 >= u64::from(threshold_percent) * u64::from(subunits)
}

/// A unit's sub-units' titles of a year, as kept, with what they mean for its 70% criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubunitTitles {
    pub unit_code: String,
    pub year: i32,
    pub subunits: u32,
    pub titled: u32,
    pub titles: String,
    pub document: String,
    pub note: Option<String>,
    /// `titled / subunits`, one decimal.
    pub percent: Option<f64>,
    /// The share the unit's criteria set asks for (arts. 6.5, 7.6: 70).
    pub threshold_percent: u32,
    /// Whether the share reaches it ([`meets`]).
    pub meets: bool,
    /// UTC.
    pub recorded_at: chrono::NaiveDateTime,
}

/// `GET /api/v1/units/{code}/subunit-titles/{year}`: a unit's declaration of the year, if any,
/// and the share its criteria set asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TitlesStatus {
    pub unit_code: String,
    pub year: i32,
    pub threshold_percent: u32,
    /// `None` until the unit declares the year.
    pub declared: Option<SubunitTitles>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(subunits: u32, titled: u32) -> SubunitTitlesRequest {
        SubunitTitlesRequest {
            subunits,
            titled,
            titles: "Tập thể lao động tiên tiến".into(),
            document: "15/QĐ-HĐTĐKT".into(),
            note: None,
        }
    }

    /// Arts. 6.5 and 7.6: «có từ 70% trở lên» — 70% itself passes, one short fails.
    #[test]
    fn seventy_percent_or_more_of_the_sub_units() {
        for (titled, subunits, threshold, passes) in [
            (7, 10, 70, true),
            (6, 10, 70, false),
            (10, 10, 70, true),
            (14, 20, 70, true),
            (13, 20, 70, false),
            // 2 of 3 is 66.7%: short of 70.
            (2, 3, 70, false),
            (3, 3, 70, true),
            // A province's own set asking 80%.
            (7, 10, 80, false),
            (8, 10, 80, true),
            (0, 0, 70, false),
            (0, 1, 0, true),
        ] {
            assert_eq!(
                meets(titled, subunits, threshold),
                passes,
                "{titled}/{subunits} at {threshold}%"
            );
        }
    }

    #[test]
    fn a_declaration_names_its_counts_titles_and_decision() {
        let ok = req(12, 9).parse().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((ok.subunits, ok.titled), (12, 9));
        let fields = |r: &SubunitTitlesRequest| match r.parse() {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        };
        assert_eq!(fields(&req(0, 0)), ["subunits"]);
        assert_eq!(fields(&req(SUBUNITS_MAX + 1, 0)), ["subunits"]);
        assert_eq!(fields(&req(5, 6)), ["titled"]);
        let mut blank = req(5, 4);
        blank.titles = "  ".into();
        blank.document = String::new();
        assert_eq!(fields(&blank), ["titles", "document"]);
    }
}
