//! Figures as the reports and screens write them, in Vietnamese or English, and the figures a
//! province enters against the targets the platform does not count (`Metric::Manual`).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::versions::MANUAL_MAX;
use super::{Metric, TargetCheck};
use crate::error::{Errors, FieldError, ValidationError};

/// `PUT /api/v1/plans/{id}/figures`: the figure of a manual target for a unit and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FigureRequest {
    /// The target's place in the plan (`TargetCheck::seq`).
    pub seq: i32,
    /// The unit the figure is of (the province itself or a unit below it).
    pub unit: String,
    pub period: i32,
    pub value: f64,
}

impl FigureRequest {
    /// The unit's code and the value, each fault named on its field.
    pub fn parse(&self) -> Result<(crate::UnitCode, f64), Vec<FieldError>> {
        let mut e = Errors::new();
        let unit = e.check("unit", crate::UnitCode::parse(&self.unit));
        if !self.value.is_finite() || !(0.0..=MANUAL_MAX).contains(&self.value) {
            e.push(
                ValidationError::OutOfRange {
                    min: 0,
                    max: MANUAL_MAX as i64,
                }
                .on("value"),
            );
        }
        e.into_result()?;
        match unit {
            Some(u) => Ok((u, self.value)),
            None => Err(vec![ValidationError::Required.on("unit")]),
        }
    }
}

/// A figure as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnteredFigure {
    pub plan_id: String,
    pub seq: i32,
    pub unit_code: String,
    pub period: i32,
    pub value: f64,
    #[serde(with = "crate::time::utc")]
    pub entered_at: chrono::NaiveDateTime,
}

/// A figure as each language writes it: `97,5` in Vietnamese (decimal comma), `97.5` in English;
/// whole numbers without decimals.
pub fn figure(v: f64, vietnamese: bool) -> String {
    let t = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if vietnamese { t.replace('.', ",") } else { t }
}

/// A percentage, or "—" when there is no figure.
pub fn percent_text(v: Option<f64>, vietnamese: bool) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{}%", figure(v, vietnamese)))
}

impl TargetCheck {
    /// The target as the plan states it: "≥ 95", "75–80", "≤ 0".
    pub fn target_text(&self, vietnamese: bool) -> String {
        let n = |v: f64| figure(v, vietnamese);
        match (self.metric, self.target_min, self.target_max) {
            (Metric::WeakCount, _, Some(max)) => format!("≤ {}", n(max)),
            (_, Some(min), Some(max)) if max > min => format!("{}–{}", n(min), n(max)),
            (_, Some(min), _) => format!("≥ {}", n(min)),
            (_, None, Some(max)) => format!("≤ {}", n(max)),
            (_, None, None) => "—".into(),
        }
    }

    /// The figure reached: a count for "units rated weak", the figure as entered for a manual
    /// target, a percentage otherwise.
    pub fn actual_text(&self, vietnamese: bool) -> String {
        match (self.metric, self.actual) {
            (_, None) => "—".into(),
            (Metric::WeakCount | Metric::Manual, Some(v)) => figure(v, vietnamese),
            (_, Some(v)) => format!("{}%", figure(v, vietnamese)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Group;

    #[test]
    fn figures_as_each_language_writes_them() {
        assert_eq!(figure(97.5, true), "97,5");
        assert_eq!(figure(97.5, false), "97.5");
        assert_eq!(figure(80.0, true), "80");
        assert_eq!(percent_text(None, true), "—");
        let mut t = TargetCheck {
            seq: 0,
            metric: Metric::GoodOrBetterPercent,
            group: Group::Commune,
            label_vi: String::new(),
            label_en: String::new(),
            target_min: Some(75.0),
            target_max: Some(80.0),
            actual: Some(77.5),
            met: true,
        };
        // Seed 000, I.2: "có từ 75 - 80% đơn vị được xếp loại xuất sắc và khá".
        assert_eq!(t.target_text(true), "75–80");
        assert_eq!(t.actual_text(true), "77,5%");
        t.metric = Metric::WeakCount;
        t.target_min = None;
        t.target_max = Some(0.0);
        t.actual = Some(1.0);
        assert_eq!(
            (t.target_text(true).as_str(), t.actual_text(false).as_str()),
            ("≤ 0", "1")
        );
    }
}
