//! What the platform's own records say about a unit in a period: the evidence filled in beside
//! the unit's answers.

use bvantq_shared::assessment::{
    self as a, ASSESSED_KINDS, CriteriaSet, Evidence, EvidenceSource, Period,
};
use bvantq_shared::{AssessmentStatus, PledgeKind, UnitKind};
use chrono::NaiveDate;

use crate::assessments::store;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::store::coverage;
use crate::units::store::{self as units, UnitRow};

fn pct(n: i64, d: i64) -> String {
    bvantq_shared::api::percent(n, d).map_or_else(|| "—".into(), |p| format!("{p}%"))
}

/// What the platform's own data says about `unit` in `period`.
pub fn evidence(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
    today: NaiveDate,
) -> Result<Vec<Evidence>, ApiError> {
    let mut out = Vec::new();
    for c in &set.criteria {
        let Some(source) = c.evidence else { continue };
        match source {
            EvidenceSource::HouseholdCoverage => {
                let campaigns = store::household_campaigns_of(conn, &unit.code, period.year)?;
                if campaigns.is_empty() {
                    continue;
                }
                let codes = [unit.code.clone()];
                let signed: i64 =
                    coverage::signed_of(conn, &codes, period.year, PledgeKind::Household)?
                        .into_iter()
                        .map(|(_, n)| n)
                        .sum();
                let expected: i64 =
                    coverage::expected_of(conn, &codes, period.year, PledgeKind::Household)?
                        .into_iter()
                        .map(|(_, n)| n)
                        .sum();
                let names = |f: &dyn Fn(&(String, String)) -> String| {
                    campaigns.iter().map(f).collect::<Vec<_>>().join("; ")
                };
                out.push(Evidence {
                    criterion: c.code.clone(),
                    source,
                    passed: Some(expected > 0 && signed >= expected),
                    value: format!("{signed}/{expected} ({})", pct(signed, expected)),
                    source_vi: names(&|(code, title)| format!("Đợt cam kết {code} «{title}»")),
                    source_en: names(&|(code, title)| format!("Pledge campaign {code} “{title}”")),
                });
            }
            EvidenceSource::ChildrenRecognised => {
                let children: Vec<String> = units::list(
                    conn,
                    &units::UnitQuery {
                        parent: Some(unit.code.clone()),
                        limit: 100_000,
                        ..Default::default()
                    },
                    today,
                )?
                .into_iter()
                .filter(|u| ASSESSED_KINDS.contains(&u.kind))
                .map(|u| u.code)
                .collect();
                if children.is_empty() {
                    continue;
                }
                let total = children.len() as i64;
                let recognised = store::results_of(conn, &children, period.year)?
                    .into_iter()
                    .filter(|(_, status, rec, _)| {
                        *status == AssessmentStatus::Approved && *rec == Some(true)
                    })
                    .count() as i64;
                let threshold = i64::from(set.children_threshold_percent);
                out.push(Evidence {
                    criterion: c.code.clone(),
                    source,
                    passed: Some(recognised * 100 >= threshold * total),
                    value: format!("{recognised}/{total} ({})", pct(recognised, total)),
                    source_vi: format!(
                        "Kết quả đánh giá đã phê duyệt của {total} đơn vị trực thuộc (yêu cầu ≥ {threshold}%)"
                    ),
                    source_en: format!(
                        "Approved assessments of {total} units below (≥ {threshold}% required)"
                    ),
                });
            }
            EvidenceSource::Tips => {
                // Tips are routed to communes; below a commune the data cannot tell.
                if unit.kind != UnitKind::Commune {
                    continue;
                }
                let count = |conn: &mut DbConn, from: NaiveDate, to: NaiveDate| {
                    crate::tips::store::stat_counts(conn, &unit.path, from, to)
                        .map(|rows| rows.iter().map(|r| r.4).sum::<i64>())
                };
                let end = period.ends_on.succ_opt().unwrap_or(period.ends_on);
                let now = count(conn, period.starts_on, end)?;
                let prev = a::period(unit.kind, period.year - 1)
                    .map(|p| count(conn, p.starts_on, period.starts_on))
                    .transpose()?
                    .unwrap_or(0);
                let cell = |n: i64| {
                    bvantq_shared::tip::suppress(&[u64::try_from(n).unwrap_or(0)]).0[0]
                        .display
                        .clone()
                };
                out.push(Evidence {
                    criterion: c.code.clone(),
                    source,
                    passed: None,
                    value: format!("{} / {}", cell(now), cell(prev)),
                    source_vi:
                        "Số tin báo, tố giác tiếp nhận trong kỳ / kỳ trước (không gồm nội dung)"
                            .into(),
                    source_en: "Tips received this period / the previous one (counts only)".into(),
                });
            }
        }
    }
    Ok(out)
}
