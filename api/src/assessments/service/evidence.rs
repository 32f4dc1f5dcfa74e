//! What the platform's own records say about a unit in a period: the evidence filled in beside
//! the unit's answers.

use bvantq_shared::assessment::{
    self as a, ASSESSED_KINDS, CriteriaSet, Evidence, EvidenceSource, Period,
};
use bvantq_shared::{PledgeKind, UnitKind};
use chrono::NaiveDate;

use crate::assessments::store;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::store::coverage;
use crate::units::store::{self as units, UnitRow};

fn pct(n: i64, d: i64) -> String {
    shown(bvantq_shared::api::percent(n, d))
}

/// A share as shown beside a criterion: "71.4%", or "—" when there is none.
fn shown(percent: Option<f64>) -> String {
    percent.map_or_else(|| "—".into(), |p| format!("{p}%"))
}

/// What the platform's own data says about `unit` in `period`: for each criterion, one item per
/// source that has data, the supporting ones deciding nothing.
pub fn evidence(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
    today: NaiveDate,
) -> Result<Vec<Evidence>, ApiError> {
    let mut out = Vec::new();
    for c in &set.criteria {
        for (source, decides) in c.sources() {
            if let Some(mut e) = of_source(conn, set, unit, period, today, source)? {
                e.criterion = c.code.clone();
                e.passed = e.passed.filter(|_| decides);
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// One source's item (its `criterion` filled in by the caller), or none when it has no data.
fn of_source(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
    today: NaiveDate,
    source: EvidenceSource,
) -> Result<Option<Evidence>, ApiError> {
    match source {
        EvidenceSource::HouseholdCoverage => household_coverage(conn, unit, period),
        EvidenceSource::ChildrenRecognised => children_recognised(conn, set, unit, period, today),
        EvidenceSource::Tips => tips(conn, unit, period),
        EvidenceSource::Registration => registration(conn, unit, period).map(Some),
        EvidenceSource::CommuneRule => commune_rule(conn, set, unit, period, today),
        EvidenceSource::SecurityTeam => security_team(conn, unit, period).map(Some),
        EvidenceSource::Models => models(conn, unit, period).map(Some),
        EvidenceSource::Incidents => incidents(conn, set, unit, period).map(Some),
        EvidenceSource::Briefings => briefings(conn, unit, period).map(Some),
        EvidenceSource::SubunitTitles => subunit_titles(conn, set, unit, period).map(Some),
    }
}

fn item(
    source: EvidenceSource,
    passed: Option<bool>,
    value: String,
    vi: String,
    en: String,
) -> Evidence {
    Evidence {
        criterion: String::new(),
        source,
        passed,
        value,
        source_vi: vi,
        source_en: en,
    }
}

/// The pledge coverage of the unit's household campaigns of the year (100% required).
fn household_coverage(
    conn: &mut DbConn,
    unit: &UnitRow,
    period: &Period,
) -> Result<Option<Evidence>, ApiError> {
    let campaigns = store::household_campaigns_of(conn, &unit.code, period.year)?;
    if campaigns.is_empty() {
        return Ok(None);
    }
    let codes = [unit.code.clone()];
    let signed: i64 = coverage::signed_of(conn, &codes, period.year, PledgeKind::Household)?
        .into_iter()
        .map(|(_, n)| n)
        .sum();
    let expected: i64 = coverage::expected_of(conn, &codes, period.year, PledgeKind::Household)?
        .into_iter()
        .map(|(_, n)| n)
        .sum();
    let names = |f: &dyn Fn(&(String, String)) -> String| {
        campaigns.iter().map(f).collect::<Vec<_>>().join("; ")
    };
    Ok(Some(item(
        EvidenceSource::HouseholdCoverage,
        Some(expected > 0 && signed >= expected),
        format!("{signed}/{expected} ({})", pct(signed, expected)),
        names(&|(code, title)| format!("Đợt cam kết {code} «{title}»")),
        names(&|(code, title)| format!("Pledge campaign {code} “{title}”")),
    )))
}

/// The share of the units below with an approved, recognised assessment (version 1 sets).
fn children_recognised(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
    today: NaiveDate,
) -> Result<Option<Evidence>, ApiError> {
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
        return Ok(None);
    }
    let total = children.len() as i64;
    let recognised = store::recognised_among(conn, &children, period.year)?.len() as i64;
    let threshold = i64::from(set.children_threshold_percent);
    Ok(Some(item(
        EvidenceSource::ChildrenRecognised,
        Some(recognised * 100 >= threshold * total),
        format!("{recognised}/{total} ({})", pct(recognised, total)),
        format!(
            "Kết quả đánh giá đã phê duyệt của {total} đơn vị trực thuộc (yêu cầu ≥ {threshold}%)"
        ),
        format!("Approved assessments of {total} units below (≥ {threshold}% required)"),
    )))
}

/// A commune's tips this period against the last (counts only, suppressed; never decides).
fn tips(conn: &mut DbConn, unit: &UnitRow, period: &Period) -> Result<Option<Evidence>, ApiError> {
    // Tips are routed to communes; below a commune the data cannot tell.
    if unit.kind != UnitKind::Commune {
        return Ok(None);
    }
    let count = |conn: &mut DbConn, from: NaiveDate, to: NaiveDate| {
        crate::tips::store::stat_counts(conn, &unit.path, from, to)
            .map(|rows| rows.iter().map(|r| r.4).sum::<i64>())
    };
    let end = period.ends_on.succ_opt().unwrap_or(period.ends_on);
    let now = count(conn, period.starts_on, end)?;
    let last = a::period(unit.kind, period.year - 1)
        .ok_or_else(|| ApiError::internal("no assessment period before this one"))?;
    let prev = count(conn, last.starts_on, period.starts_on)?;
    // Counts of rows: never negative.
    let cell = |n: i64| {
        u64::try_from(n)
            .map(|n| bvantq_shared::tip::suppress(&[n]).0[0].display.clone())
            .map_err(ApiError::internal)
    };
    Ok(Some(item(
        EvidenceSource::Tips,
        None,
        format!("{} / {}", cell(now)?, cell(prev)?),
        "Số tin báo, tố giác tiếp nhận trong kỳ / kỳ trước (không gồm nội dung)".into(),
        "Tips received this period / the previous one (counts only)".into(),
    )))
}

/// The unit's registration of the period's year, made in quarter I (arts. 4.1, 9.2.a).
fn registration(conn: &mut DbConn, unit: &UnitRow, period: &Period) -> Result<Evidence, ApiError> {
    let year = period.year;
    let r = crate::records::registrations::registration(conn, &unit.code, year)?;
    let (passed, value) = match &r {
        Some(r) => (
            r.in_quarter_one,
            format!("{} — {}", r.registered_on.format("%d/%m/%Y"), r.document),
        ),
        None => (false, "—".to_string()),
    };
    Ok(item(
        EvidenceSource::Registration,
        Some(passed),
        value,
        format!(
            "Bản đăng ký phấn đấu năm {year}, trong quý I (Điều 9 khoản 2 điểm a Thông tư 124)"
        ),
        format!("Registration for {year}, in quarter I (Circular 124 art. 9.2.a)"),
    ))
}

/// A commune's rule (art. 5.4) over its eligible units; nothing for another kind.
fn commune_rule(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
    today: NaiveDate,
) -> Result<Option<Evidence>, ApiError> {
    if unit.kind != UnitKind::Commune {
        return Ok(None);
    }
    let (_, lines) = crate::records::registrations::commune_lines(conn, unit, period.year, today)?;
    let rule = crate::records::registrations::rule_of(&lines, set.children_threshold_percent);
    let share = |s: bvantq_shared::records::Share| {
        format!("{}/{} ({})", s.counted, s.units, pct(s.counted, s.units))
    };
    let (t, x) = (rule.threshold_percent, rule.excluded);
    Ok(Some(item(
        EvidenceSource::CommuneRule,
        Some(rule.passed),
        format!("{} · {}", share(rule.registered), share(rule.recognised)),
        format!(
            "Đăng ký (yêu cầu 100%) · được công nhận (yêu cầu ≥ {t}%), trên các đơn vị thuộc đối tượng áp dụng; {x} đơn vị không thuộc đối tượng (điểm b khoản 2 Điều 1)"
        ),
        format!(
            "Registered (100% required) · recognised (≥ {t}% required), of the units the Circular applies to; {x} outside it (art. 1.2.b)"
        ),
    )))
}

/// A residential area's security team and its review of the year: established with its leader
/// and rated at least «hoàn thành nhiệm vụ».
fn security_team(conn: &mut DbConn, unit: &UnitRow, period: &Period) -> Result<Evidence, ApiError> {
    use bvantq_shared::records::TeamRating;
    let year = period.year;
    let team = crate::records::team(conn, &unit.code, year)?;
    let passed = team
        .as_ref()
        .is_some_and(|t| t.counts && t.rating.is_some_and(|r| r != TeamRating::NotDone));
    let value = match &team {
        None => "—".to_string(),
        Some(t) => match t.rating {
            Some(r) => format!(
                "{} · {} / {}",
                t.decision_number,
                r.label_vi(),
                r.label_en()
            ),
            None => format!("{} · —", t.decision_number),
        },
    };
    Ok(item(
        EvidenceSource::SecurityTeam,
        Some(passed),
        value,
        format!("Tổ bảo vệ an ninh, trật tự: quyết định thành lập, tổ trưởng, đánh giá năm {year}"),
        format!("Security team: founding decision, leader, review of {year}"),
    ))
}

/// The unit's self-managed models that count for the year (its own and its sub-units').
fn models(conn: &mut DbConn, unit: &UnitRow, period: &Period) -> Result<Evidence, ApiError> {
    let year = period.year;
    let n = crate::records::units_with_model(conn, &unit.path, year)?.len();
    Ok(item(
        EvidenceSource::Models,
        Some(n > 0),
        n.to_string(),
        format!(
            "Đơn vị có mô hình tự phòng, tự quản, tự bảo vệ mới hoặc hoạt động hiệu quả năm {year}"
        ),
        format!("Units with a self-managed model new or effective in {year}"),
    ))
}

/// The events of criterion 4 in the period (a commune's: in its territory) and the exception of
/// art. 4.4: an event not excused fails the criterion; otherwise the data does not decide (the
/// rest of the criterion is the unit's answer).
fn incidents(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
) -> Result<Evidence, ApiError> {
    let v = crate::records::incidents::verdict(conn, set, unit, period)?;
    let h = set.prompt_report_hours;
    Ok(item(
        EvidenceSource::Incidents,
        (!v.passed).then_some(false),
        format!("{}/{}", v.excused, v.events),
        format!(
            "Vụ việc được miễn trừ (bất khả kháng, báo cáo trong {h} giờ) / vụ việc ghi nhận trong kỳ (khoản 4 Điều 4)"
        ),
        format!(
            "Events excused (force majeure, reported within {h} hours) / events recorded in the period (art. 4.4)"
        ),
    ))
}

/// How far the unit's people were briefed in the period: 100% decides the point of criterion 1.
fn briefings(conn: &mut DbConn, unit: &UnitRow, period: &Period) -> Result<Evidence, ApiError> {
    let c = crate::records::briefings::coverage(conn, unit, period)?;
    let mut value = format!(
        "{}/{} ({})",
        c.share.counted,
        c.share.units,
        pct(c.share.counted, c.share.units)
    );
    if !c.groups_without.is_empty() {
        let n = c.groups_without.len();
        value.push_str(&format!(
            " · {n} lớp/bộ phận chưa có buổi / {n} without a session"
        ));
    }
    Ok(item(
        EvidenceSource::Briefings,
        Some(c.complete),
        value,
        "Người được quán triệt trong kỳ (yêu cầu 100%; khoản 1 Điều 6, khoản 1 Điều 7)".to_string(),
        "People briefed in the period (100% required; arts. 6.1, 7.1)".to_string(),
    ))
}

/// The share of the unit's sub-units holding the emulation titles of arts. 6.5 / 7.6, as the
/// unit declared it for the year; undeclared, the data decides nothing (the unit answers).
fn subunit_titles(
    conn: &mut DbConn,
    set: &CriteriaSet,
    unit: &UnitRow,
    period: &Period,
) -> Result<Evidence, ApiError> {
    let (year, t) = (period.year, set.children_threshold_percent);
    let declared = crate::records::titles::of_unit(conn, &unit.code, year)?
        .map(|row| crate::records::titles::titles_of(row, t))
        .transpose()?;
    let (passed, value) = match &declared {
        Some(d) => (
            Some(d.meets),
            format!(
                "{}/{} ({}) — {} · {}",
                d.titled,
                d.subunits,
                shown(d.percent),
                d.titles,
                d.document
            ),
        ),
        None => (None, "— chưa khai báo / not declared".to_string()),
    };
    Ok(item(
        EvidenceSource::SubunitTitles,
        passed,
        value,
        format!(
            "Đơn vị trực thuộc đạt danh hiệu thi đua năm {year}, do đơn vị khai báo (yêu cầu ≥ {t}%; khoản 5 Điều 6, khoản 6 Điều 7)"
        ),
        format!(
            "Sub-units holding emulation titles in {year}, as the unit declared (≥ {t}% required; arts. 6.5, 7.6)"
        ),
    ))
}
