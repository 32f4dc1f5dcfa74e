//! Table tests of the procedure, each named for its article, and property tests of the clocks.

use super::*;
use crate::tip::{TipPriority, is_day_off};
use crate::{Role, TipStatus};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

/// A UTC instant from a Vietnam wall-clock time.
fn vn(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).expect("a real time") - TimeDelta::hours(7)
}

const S: ProcedureSettings = ProcedureSettings {
    transfer_urgent_hours: 24,
    transfer_remote_hours: 48,
    transfer_days: 7,
    decision_days: 20,
    complex_months: 2,
    procuracy_months: 2,
    extension_request_days: 5,
    closing_report_days: 7,
    escalate_minutes: 15,
};

#[test]
fn the_defaults_are_the_texts_numbers() {
    assert_eq!(ProcedureSettings::default(), S);
    // Every rule cites its text and has both languages; ids are unique.
    for r in RULES {
        assert!(
            !r.vi.is_empty() && !r.en.is_empty() && r.vi != r.en,
            "{r:?}"
        );
        assert_eq!(rule(r.id), Some(r));
    }
    let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
}

/// TT 28/2020 art. 7 / TTLT 01/2021: "… chuyển cho Cơ quan điều tra có thẩm quyền trong thời
/// hạn không quá 24 giờ kể từ khi tiếp nhận".
#[test]
fn tt28_art7_urgent_transfer_within_24_hours() {
    let at = vn(2026, 12, 2, 21, 40);
    let c = transfer_clock(&S, at, TransferClass::Urgent).expect("a clock");
    assert_eq!(c.due_at, vn(2026, 12, 3, 21, 40));
    assert_eq!(c.last_day, d(2026, 12, 3));
    assert_eq!(c.rule.id, "transfer_urgent");
    assert!(c.rule.vi.contains("24 giờ — TT 28/2020 Đ.7"));
}

/// "… xã ở vùng rừng núi xa xôi, hẻo lánh, hải đảo … không quá 48 giờ kể từ khi tiếp nhận".
#[test]
fn tt28_art7_remote_commune_within_48_hours() {
    let at = vn(2026, 12, 4, 8, 0);
    let c = transfer_clock(&S, at, TransferClass::UrgentRemote).expect("a clock");
    // Hours run through the weekend: Friday 08:00 → Sunday 08:00.
    assert_eq!(c.due_at, vn(2026, 12, 6, 8, 0));
    assert_eq!(c.rule.id, "transfer_remote");
}

/// "Đối với những vụ án ngoài trường hợp trên … không quá 7 ngày", counted in days (BLTTHS
/// art. 134): from the day after receipt to 24:00 of the 7th day.
#[test]
fn tt28_art7_other_cases_within_7_days_counted_per_art_134() {
    let c = transfer_clock(&S, vn(2026, 12, 2, 23, 59), TransferClass::Ordinary).expect("c");
    assert_eq!(c.last_day, d(2026, 12, 9));
    assert_eq!(c.due_at, vn(2026, 12, 10, 0, 0));
    // Received 00:30 Vietnam time (17:30 UTC the day before): Vietnam's date counts.
    let c = transfer_clock(&S, vn(2026, 12, 3, 0, 30), TransferClass::Ordinary).expect("c");
    assert_eq!(c.last_day, d(2026, 12, 10));
}

/// Which limit: quả tang, rất / đặc biệt nghiêm trọng, dư luận quan tâm → 24 h (48 h in a
/// remote commune); otherwise 7 days. Unclassified life-safety tips take the short limit.
#[test]
fn tt28_art7_transfer_class_table() {
    use CrimeClass::*;
    let f = |crime_class, flagrant, public_interest, remote_commune| Facts {
        crime_class,
        flagrant,
        public_interest,
        remote_commune,
    };
    let n = TipPriority::Normal;
    for (facts, priority, class) in [
        (f(None, false, false, false), n, TransferClass::Ordinary),
        (f(None, false, false, true), n, TransferClass::Ordinary),
        (
            f(None, false, false, false),
            TipPriority::LifeSafety,
            TransferClass::Urgent,
        ),
        (
            f(Some(LessSerious), false, false, false),
            TipPriority::LifeSafety,
            TransferClass::Ordinary,
        ),
        (
            f(Some(Serious), false, false, false),
            n,
            TransferClass::Ordinary,
        ),
        (
            f(Some(VerySerious), false, false, false),
            n,
            TransferClass::Urgent,
        ),
        (
            f(Some(EspeciallySerious), false, false, true),
            n,
            TransferClass::UrgentRemote,
        ),
        (
            f(Some(LessSerious), true, false, false),
            n,
            TransferClass::Urgent,
        ),
        (f(None, false, true, true), n, TransferClass::UrgentRemote),
    ] {
        assert_eq!(TransferClass::of(&facts, priority), class, "{facts:?}");
    }
}

/// BLTTHS art. 147 cl. 1: 20 days from the handler's own receipt — a period in days, whose
/// 20th day stands even on a Sunday (art. 134 cl. 1).
#[test]
fn bltths_art147_cl1_20_days_from_the_handlers_receipt() {
    // Transferred on 2 Mar 2026, received by the investigating body on Wed 4 Mar.
    let c = first_period(&S, d(2026, 3, 4), false).expect("c");
    assert_eq!((c.period, c.last_day), (TipPeriod::First, d(2026, 3, 24)));
    assert_eq!(c.rule.id, "decision_20_days");
    // Mon 2 Mar → Sun 22 Mar: kept.
    assert_eq!(
        first_period(&S, d(2026, 3, 2), false).map(|c| c.last_day),
        Some(d(2026, 3, 22))
    );
}

/// Art. 147 cl. 2 and art. 134: 2 months from receipt, on the same day number, or the month's
/// last day, moved to the next working day.
#[test]
fn bltths_art147_cl2_complex_case_2_months_counted_per_art_134() {
    let days_off = [d(2027, 2, 8)];
    for (start, last) in [
        (d(2026, 3, 4), d(2026, 5, 4)),
        // 2 Jul + 2 months = 2 Sep, Quốc khánh → Thu 3 Sep.
        (d(2026, 7, 2), d(2026, 9, 3)),
        // 31 Dec + 2 months → 28 Feb 2027 (Sunday) → Mon 1 Mar.
        (d(2026, 12, 31), d(2027, 3, 1)),
        // 31 Dec 2027 → 29 Feb 2028 (leap year, Tuesday).
        (d(2027, 12, 31), d(2028, 2, 29)),
        // A day off from the province's list: 8 Feb 2027 → 9 Feb.
        (d(2026, 12, 8), d(2027, 2, 9)),
    ] {
        let c = complex_period(&S, start, &days_off).expect("c");
        assert_eq!(c.last_day, last, "{start}");
        assert_eq!(c.rule.id, "complex_2_months");
    }
}

/// Art. 147 cl. 2 and TTLT 01/2017 art. 11: the procuracy's extension counts from the end of
/// the period it extends — after 20 days, or after the 2 months of a complex case.
#[test]
fn ttlt01_2017_art11_procuracy_extension_from_the_end_of_the_previous_period() {
    // 20-day period ending Tue 24 Mar 2026 → 24 May (Sunday) → Mon 25 May.
    let c = procuracy_period(&S, d(2026, 3, 24), &[]).expect("c");
    assert_eq!(c.last_day, d(2026, 5, 25));
    // Complex period ending 4 May → 4 Jul (Saturday) → Mon 6 Jul: 4 months from receipt.
    let c = procuracy_period(&S, d(2026, 5, 4), &[]).expect("c");
    assert_eq!(c.last_day, d(2026, 7, 6));
    assert_eq!(c.rule.id, "procuracy_extension");
}

/// BLTTHS art. 149: resuming starts a new period from the decision to resume.
#[test]
fn bltths_art149_resuming_starts_a_new_period() {
    let c = first_period(&S, d(2026, 6, 10), true).expect("c");
    assert_eq!(c.last_day, d(2026, 6, 30));
    assert_eq!(c.rule.id, "resume_new_period");
}

/// TTLT 01/2017 art. 11 (request 5 days before the end), the closing report (7 days, a
/// province's point) and the transfer due within 24 hours.
#[test]
fn ttlt01_2017_art11_warnings_at_the_meaningful_points() {
    let c = first_period(&S, d(2026, 3, 4), false).expect("c"); // ends 24 Mar
    let at = |day| vn(2026, 3, day, 9, 0);
    assert_eq!(warnings(&S, &c, at(16)), vec![]);
    assert_eq!(warnings(&S, &c, at(17)), vec![Warning::ClosingReportDue]);
    assert_eq!(
        warnings(&S, &c, at(19)),
        vec![Warning::ExtensionRequestDue, Warning::ClosingReportDue]
    );
    assert_eq!(
        warnings(&S, &c, vn(2026, 3, 24, 23, 59)).len(),
        2,
        "the last day is still inside the period"
    );
    assert_eq!(warnings(&S, &c, at(25)), vec![Warning::Overdue]);
    let p = procuracy_period(&S, d(2026, 3, 24), &[]).expect("c"); // ends 25 May
    assert_eq!(
        warnings(&S, &p, vn(2026, 5, 20, 9, 0)),
        vec![Warning::ClosingReportDue],
        "no further extension to ask for"
    );
    let t = transfer_clock(&S, vn(2026, 12, 2, 8, 0), TransferClass::Ordinary).expect("t");
    assert_eq!(warnings(&S, &t, vn(2026, 12, 8, 8, 0)), vec![]);
    assert_eq!(
        warnings(&S, &t, vn(2026, 12, 9, 0, 1)),
        vec![Warning::TransferDue]
    );
}

fn at(status: TipStatus, holder: Holder, period: Option<TipPeriod>) -> Position {
    Position {
        status,
        holder,
        period,
    }
}

/// BLTTHS art. 145 cl. 3 (2021): the commune receives, checks, transfers — it cannot close a
/// crime tip itself; art. 37 (2025): the assigned head accepts less serious and serious
/// crimes; art. 147–149: the handler decides, extends, suspends, resumes.
#[test]
fn bltths_who_may_take_each_step() {
    use Holder::*;
    use TipStatus::*;
    let received = at(Received, Commune, Some(TipPeriod::Transfer));
    let ward = Role::WardOfficer;
    assert_eq!(
        Step::available(ward, received),
        vec![
            Step::Check,
            Step::Classify,
            Step::Transfer,
            Step::NotCrime,
            Step::Merge
        ]
    );
    assert_eq!(
        Step::available(Role::CommuneHead, received),
        vec![
            Step::Check,
            Step::Classify,
            Step::Transfer,
            Step::Accept,
            Step::NotCrime,
            Step::Merge
        ]
    );
    // The province and the investigating body take no commune step.
    for role in [Role::ProvinceOfficer, Role::Admin, Role::Investigator] {
        assert_eq!(Step::available(role, received), vec![], "{role}");
    }
    // The ward keeps a read-only view of what it transferred.
    let transferred = at(Transferred, InvestigatingBody, None);
    assert_eq!(Step::available(ward, transferred), vec![]);
    assert_eq!(
        Step::available(Role::Investigator, transferred),
        vec![Step::Receive]
    );
    let handling = at(Handling, InvestigatingBody, Some(TipPeriod::First));
    assert_eq!(Step::available(ward, handling), vec![]);
    assert_eq!(Step::available(Role::CommuneHead, handling), vec![]);
    assert_eq!(
        Step::available(Role::Investigator, handling),
        vec![
            Step::ExtendComplex,
            Step::ExtendProcuracy,
            Step::Prosecute,
            Step::NotProsecute,
            Step::Suspend
        ]
    );
    // After the complex extension only the procuracy's remains; after it, none.
    let complex = at(Handling, CommuneHead, Some(TipPeriod::Complex));
    assert!(Step::available(Role::CommuneHead, complex).contains(&Step::ExtendProcuracy));
    assert!(!Step::available(Role::CommuneHead, complex).contains(&Step::ExtendComplex));
    let vks = at(Handling, CommuneHead, Some(TipPeriod::Procuracy));
    assert!(
        !Step::available(Role::CommuneHead, vks)
            .iter()
            .any(|s| matches!(s, Step::ExtendComplex | Step::ExtendProcuracy))
    );
    // A commune head does not decide on what the investigating body holds.
    assert_eq!(Step::available(Role::Investigator, complex), vec![]);
    assert_eq!(
        Step::available(Role::CommuneHead, at(Suspended, CommuneHead, None)),
        vec![Step::Resume]
    );
    for closed in [Decided, NotCrime, Merged, Resolved, Rejected] {
        for &role in Role::ALL {
            for holder in Holder::ALL {
                assert_eq!(Step::available(role, at(closed, *holder, None)), vec![]);
            }
        }
    }
    // Where each leads.
    assert_eq!(
        Step::Transfer.check(ward, received),
        Ok(at(
            Transferred,
            InvestigatingBody,
            Some(TipPeriod::Transfer)
        ))
    );
    assert_eq!(
        Step::Accept
            .check(Role::CommuneHead, received)
            .map(|p| (p.status, p.holder)),
        Ok((Handling, CommuneHead))
    );
}

/// The ward marking a crime tip resolved or rejected is refused with the rule it breaks.
#[test]
fn bltths_art145_ward_cannot_resolve_or_reject() {
    for to in [TipStatus::Resolved, TipStatus::Rejected, TipStatus::Decided] {
        let e = step_for_status(to).expect_err("refused");
        assert_eq!(e.code(), "step_not_allowed");
        assert!(
            e.message_vi().contains("BLTTHS Đ.145 k.3"),
            "{}",
            e.message_vi()
        );
        assert!(e.message_en().contains("art. 145 cl. 3"));
    }
    assert_eq!(step_for_status(TipStatus::Verifying), Ok(Step::Check));
    assert_eq!(step_for_status(TipStatus::Merged), Ok(Step::Merge));
    assert_eq!(step_for_status(TipStatus::Transferred), Ok(Step::Transfer));
}

#[test]
fn step_requests_name_their_fields() {
    let today = d(2026, 12, 2);
    let fields = |r: StepRequest| {
        r.parse(today)
            .err()
            .map(|e| e.into_iter().map(|f| f.field).collect::<Vec<_>>())
    };
    let base = |step: &str| StepRequest {
        step: step.into(),
        reason: Some("Lý do".into()),
        ..Default::default()
    };
    assert_eq!(fields(base("transfer")), None);
    assert_eq!(fields(base("close")), Some(vec!["step".into()]));
    assert_eq!(fields(base("prosecute")), Some(vec!["act".into()]));
    assert_eq!(fields(base("not_crime")), Some(vec!["referred_to".into()]));
    assert_eq!(fields(base("merge")), Some(vec!["merge_into".into()]));
    assert_eq!(fields(base("accept")), Some(vec!["crime_class".into()]));
    let mut accept = base("accept");
    accept.crime_class = Some("very_serious".into());
    let e = accept.parse(today).expect_err("outside the head's scope");
    assert_eq!(e[0].field, "crime_class");
    assert!(e[0].error.message_vi().contains("Đ.37 (sửa đổi 2025)"));
    accept.crime_class = Some("serious".into());
    assert_eq!(
        accept
            .parse(today)
            .map(|p| p.facts.and_then(|f| f.crime_class)),
        Ok(Some(CrimeClass::Serious))
    );
    let mut decide = base("suspend");
    decide.act = Some(ActRequest {
        number: " ".into(),
        date: "2026-12-03".into(),
        signer: "Thủ trưởng CQCSĐT — Trần Văn C".into(),
    });
    assert_eq!(
        fields(decide.clone()),
        Some(vec!["act.number".into(), "act.date".into()])
    );
    decide.act = Some(ActRequest {
        number: "12/QĐ-CSĐT".into(),
        date: "2026-12-02".into(),
        signer: "Thủ trưởng CQCSĐT — Trần Văn C".into(),
    });
    assert_eq!(
        decide.parse(today).map(|p| p.act),
        Ok(Some(Act {
            number: "12/QĐ-CSĐT".into(),
            date: today,
            signer: "Thủ trưởng CQCSĐT — Trần Văn C".into(),
        }))
    );
    let mut no_reason = base("check");
    no_reason.reason = None;
    assert_eq!(fields(no_reason), Some(vec!["reason".into()]));
}

#[test]
fn a_province_corrects_numbers_within_range_and_lists_its_days_off() {
    let h = |date, name: &str| Holiday {
        date,
        name: name.into(),
    };
    let p = ProvinceProcedure {
        settings: S,
        holidays: vec![
            h(d(2027, 2, 8), "Tết Nguyên đán"),
            h(d(2026, 9, 1), "  Quốc khánh (ngày thứ hai) "),
        ],
    }
    .parse()
    .expect("valid");
    let days: Vec<NaiveDate> = p.holidays.iter().map(|h| h.date).collect();
    assert_eq!(days, vec![d(2026, 9, 1), d(2027, 2, 8)]);
    assert_eq!(p.holidays[0].name, "Quốc khánh (ngày thứ hai)");
    let bad = ProvinceProcedure {
        settings: ProcedureSettings {
            transfer_urgent_hours: 0,
            decision_days: 400,
            ..S
        },
        holidays: vec![h(d(2027, 2, 8), "Tết"), h(d(2027, 2, 8), "")],
    };
    let fields: Vec<_> = bad
        .parse()
        .expect_err("refused")
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(
        fields,
        [
            "settings.transfer_urgent_hours",
            "settings.decision_days",
            "holidays[1].name",
            "holidays"
        ]
    );
}

proptest! {
    /// Adding days off never brings a deadline earlier (and never moves a period in days).
    #[test]
    fn more_days_off_never_move_a_deadline_earlier(
        start in 0i64..4000,
        months in 1u32..5,
        off in proptest::collection::vec(0i64..4200, 0..40),
        more in proptest::collection::vec(0i64..4200, 0..40),
    ) {
        let base = d(2025, 1, 1);
        let start = base + TimeDelta::days(start);
        let days_off: Vec<_> = off.iter().map(|x| base + TimeDelta::days(*x)).collect();
        let mut all = days_off.clone();
        all.extend(more.iter().map(|x| base + TimeDelta::days(*x)));
        let s = ProcedureSettings { complex_months: months, procuracy_months: months, ..S };
        let a = complex_period(&s, start, &days_off).map(|c| c.last_day);
        let b = complex_period(&s, start, &all).map(|c| c.last_day);
        prop_assert!(a.is_some() && b >= a);
        prop_assert!(b.is_some_and(|b| !is_day_off(b, &all)));
        let a = procuracy_period(&s, start, &days_off).map(|c| c.last_day);
        let b = procuracy_period(&s, start, &all).map(|c| c.last_day);
        prop_assert!(b >= a);
        prop_assert_eq!(
            first_period(&s, start, false).map(|c| c.last_day),
            Some(start + TimeDelta::days(20))
        );
    }

    /// Every period ends after it starts, and the procuracy's after the one it extends.
    #[test]
    fn periods_follow_each_other(start in 0i64..4000) {
        let start = d(2025, 1, 1) + TimeDelta::days(start);
        let first = first_period(&S, start, false).map(|c| c.last_day);
        let complex = complex_period(&S, start, &[]).map(|c| c.last_day);
        prop_assert!(first.is_some() && complex > first);
        let vks = complex.and_then(|c| procuracy_period(&S, c, &[])).map(|c| c.last_day);
        prop_assert!(vks > complex);
    }
}
