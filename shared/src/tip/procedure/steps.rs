//! Who holds a tip, what the preliminary check found, and the steps: where each starts, where it
//! leads, who may take it.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::rules::*;
use crate::error::ValidationError;
use crate::tip::TipPriority;
use crate::{Role, TipStatus};

// ---------------------------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------------------------

crate::enums::labelled_enum! {
    /// Who holds a tip and whose clock runs on it.
    Holder {
        /// Công an xã/phường/đặc khu tiếp nhận
        Commune = "commune", "Công an xã/phường tiếp nhận", "Commune police (receiving)";
        /// Cơ quan Cảnh sát điều tra Công an tỉnh
        InvestigatingBody = "investigating_body", "Cơ quan Cảnh sát điều tra", "Investigating body";
        /// Trưởng/Phó Công an xã được phân công thụ lý
        CommuneHead = "commune_head", "Trưởng/Phó Công an xã được phân công", "Assigned commune police head";
    }
}

crate::enums::labelled_enum! {
    /// Phân loại tội phạm (BLHS 2015 art. 9), by the highest penalty of the frame.
    CrimeClass {
        /// tội phạm ít nghiêm trọng: đến 3 năm tù
        LessSerious = "less_serious", "Ít nghiêm trọng (đến 3 năm tù)", "Less serious (up to 3 years)";
        /// tội phạm nghiêm trọng: trên 3 đến 7 năm tù
        Serious = "serious", "Nghiêm trọng (đến 7 năm tù)", "Serious (up to 7 years)";
        /// tội phạm rất nghiêm trọng: trên 7 đến 15 năm tù
        VerySerious = "very_serious", "Rất nghiêm trọng (đến 15 năm tù)", "Very serious (up to 15 years)";
        /// tội phạm đặc biệt nghiêm trọng: trên 15 năm, chung thân, tử hình
        EspeciallySerious = "especially_serious", "Đặc biệt nghiêm trọng", "Especially serious";
    }
}

impl CrimeClass {
    /// Whether an assigned commune head may handle it ([`COMMUNE_HEAD_SCOPE`]).
    pub fn commune_head_may_handle(self) -> bool {
        matches!(self, CrimeClass::LessSerious | CrimeClass::Serious)
    }
}

crate::enums::labelled_enum! {
    /// Which transfer limit applies.
    TransferClass {
        /// quả tang, rất / đặc biệt nghiêm trọng, dư luận quan tâm
        Urgent = "urgent", "Khẩn (24 giờ)", "Urgent (24 hours)";
        /// the urgent classes in a remote commune
        UrgentRemote = "urgent_remote", "Khẩn, xã vùng sâu vùng xa (48 giờ)", "Urgent, remote commune (48 hours)";
        Ordinary = "ordinary", "Trường hợp khác (7 ngày)", "Other (7 days)";
    }
}

impl TransferClass {
    /// The class from what the preliminary check found. Before anything is known, a tip the
    /// reporter marked dangerous to life is treated as urgent: the shorter limit is the safe one.
    pub fn of(facts: &Facts, priority: TipPriority) -> Self {
        let urgent = facts.flagrant
            || facts.public_interest
            || facts
                .crime_class
                .is_some_and(|c| !c.commune_head_may_handle())
            || (facts.crime_class.is_none() && priority == TipPriority::LifeSafety);
        match (urgent, facts.remote_commune) {
            (true, false) => TransferClass::Urgent,
            (true, true) => TransferClass::UrgentRemote,
            (false, _) => TransferClass::Ordinary,
        }
    }

    pub fn rule(self) -> &'static Rule {
        match self {
            TransferClass::Urgent => &TRANSFER_URGENT,
            TransferClass::UrgentRemote => &TRANSFER_REMOTE,
            TransferClass::Ordinary => &TRANSFER_ORDINARY,
        }
    }
}

/// What the preliminary check found (phân loại), deciding the transfer limit and whether a
/// commune head may handle the tip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Facts {
    pub crime_class: Option<CrimeClass>,
    /// phạm tội quả tang
    #[serde(default)]
    pub flagrant: bool,
    /// được dư luận xã hội quan tâm
    #[serde(default)]
    pub public_interest: bool,
    /// xã vùng rừng núi xa xôi, hẻo lánh, hải đảo, điều kiện đi lại khó khăn
    #[serde(default)]
    pub remote_commune: bool,
}

crate::enums::labelled_enum! {
    /// The period a tip's clock is counting.
    TipPeriod {
        /// thời hạn chuyển Cơ quan điều tra
        Transfer = "transfer", "Thời hạn chuyển Cơ quan điều tra", "Transfer period";
        /// 20 ngày
        First = "first", "Thời hạn giải quyết 20 ngày", "20-day period";
        /// kéo dài đến 2 tháng
        Complex = "complex", "Kéo dài đến 2 tháng (phức tạp)", "Extended to 2 months (complex)";
        /// Viện kiểm sát gia hạn
        Procuracy = "procuracy", "Viện kiểm sát gia hạn", "Extended by the procuracy";
    }
}

crate::enums::labelled_enum! {
    /// One step of the procedure.
    Step {
        /// kiểm tra, xác minh sơ bộ
        Check = "check", "Bắt đầu kiểm tra, xác minh sơ bộ", "Start the preliminary check";
        /// phân loại (decides the transfer limit)
        Classify = "classify", "Phân loại", "Classify";
        /// chuyển Cơ quan điều tra
        Transfer = "transfer", "Chuyển Cơ quan điều tra", "Transfer to the investigating body";
        /// tiếp nhận hồ sơ chuyển đến
        Receive = "receive", "Tiếp nhận hồ sơ chuyển đến", "Receive the transferred file";
        /// thụ lý giải quyết tại xã
        Accept = "accept", "Thụ lý giải quyết tại xã", "Accept for handling in the commune";
        /// không phải tội phạm: chuyển cơ quan có thẩm quyền
        NotCrime = "not_crime", "Không phải tội phạm — chuyển xử lý", "Not a crime — refer";
        /// gộp tin trùng
        Merge = "merge", "Gộp tin trùng", "Merge a duplicate";
        /// kéo dài thời hạn đến 2 tháng
        ExtendComplex = "extend_complex", "Kéo dài đến 2 tháng (phức tạp)", "Extend to 2 months (complex)";
        /// Viện kiểm sát gia hạn
        ExtendProcuracy = "extend_procuracy", "Ghi nhận VKS gia hạn", "Record the procuracy's extension";
        /// quyết định khởi tố vụ án hình sự
        Prosecute = "prosecute", "Quyết định khởi tố vụ án", "Decision to prosecute";
        /// quyết định không khởi tố vụ án hình sự
        NotProsecute = "not_prosecute", "Quyết định không khởi tố", "Decision not to prosecute";
        /// quyết định tạm đình chỉ việc giải quyết
        Suspend = "suspend", "Quyết định tạm đình chỉ", "Decision to suspend";
        /// quyết định phục hồi giải quyết
        Resume = "resume", "Quyết định phục hồi giải quyết", "Decision to resume";
    }
}

/// The capacities an account of this role acts in; the province and administrators oversee and
/// take no step (they are not bodies of the procedure).
pub fn capacities(role: Role) -> &'static [Holder] {
    match role {
        Role::WardOfficer => &[Holder::Commune],
        Role::CommuneHead => &[Holder::Commune, Holder::CommuneHead],
        Role::Investigator => &[Holder::InvestigatingBody],
        Role::ProvinceOfficer
        | Role::Admin
        | Role::SchoolAdmin
        | Role::OrgAdmin
        | Role::AreaHead
        | Role::CommuneLeader
        | Role::EducationOfficer
        | Role::FormTeacher => &[],
    }
}

/// A tip as the procedure sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub status: TipStatus,
    pub holder: Holder,
    pub period: Option<TipPeriod>,
}

impl Step {
    /// Whether the step concludes the handling the period in force was given for, so that
    /// taking it before the period runs out is handling the tip on time: the three decisions
    /// of BLTTHS 2015 art. 147.1 ("phải kiểm tra, xác minh và ra một trong các quyết định: a)
    /// Quyết định khởi tố vụ án hình sự; b) Quyết định không khởi tố vụ án hình sự; c) Quyết định
    /// tạm đình chỉ việc giải quyết nguồn tin"), the commune's transfer to the investigating body
    /// within its limit (TT 28/2020 art. 7: "chuyển cho Cơ quan điều tra có thẩm quyền trong thời
    /// hạn …"), and a referral of what is not a crime. Checking, classifying, receiving,
    /// accepting, extending, resuming and merging a duplicate conclude nothing.
    pub fn concludes(self) -> bool {
        matches!(
            self,
            Step::Transfer | Step::NotCrime | Step::Prosecute | Step::NotProsecute | Step::Suspend
        )
    }

    /// Whether the step, taken at `at` against a period ending at `due_at` (both UTC), handled
    /// the tip on time; `None` when it concludes nothing or no clock was running (it is not
    /// counted either way).
    pub fn on_time(
        self,
        at: chrono::NaiveDateTime,
        due_at: Option<chrono::NaiveDateTime>,
    ) -> Option<bool> {
        due_at.filter(|_| self.concludes()).map(|due| at <= due)
    }

    /// The stages the step starts from.
    pub fn from(self) -> &'static [TipStatus] {
        use TipStatus::*;
        match self {
            Step::Check => &[Received],
            Step::Classify | Step::Transfer | Step::Accept | Step::NotCrime | Step::Merge => {
                &[Received, Verifying]
            }
            Step::Receive => &[Transferred],
            Step::ExtendComplex
            | Step::ExtendProcuracy
            | Step::Prosecute
            | Step::NotProsecute
            | Step::Suspend => &[Handling],
            Step::Resume => &[Suspended],
        }
    }

    /// The stage the step leads to from `from`.
    pub fn to(self, from: TipStatus) -> TipStatus {
        match self {
            Step::Check => TipStatus::Verifying,
            Step::Classify | Step::ExtendComplex | Step::ExtendProcuracy => from,
            Step::Transfer => TipStatus::Transferred,
            Step::Receive | Step::Accept | Step::Resume => TipStatus::Handling,
            Step::NotCrime => TipStatus::NotCrime,
            Step::Merge => TipStatus::Merged,
            Step::Prosecute | Step::NotProsecute => TipStatus::Decided,
            Step::Suspend => TipStatus::Suspended,
        }
    }

    /// Who holds the tip after the step.
    pub fn holder_after(self, before: Holder) -> Holder {
        match self {
            Step::Transfer => Holder::InvestigatingBody,
            Step::Accept => Holder::CommuneHead,
            _ => before,
        }
    }

    /// The capacity the actor needs: the receiving commune's steps, the assigned head's
    /// acceptance, and otherwise the capacity of whoever holds the tip.
    fn needs(self, holder: Holder) -> Holder {
        match self {
            Step::Accept => Holder::CommuneHead,
            Step::Receive => Holder::InvestigatingBody,
            _ => holder,
        }
    }

    /// The rule the step follows (named when it is refused).
    pub fn rule(self) -> &'static Rule {
        match self {
            Step::Check | Step::Classify | Step::Transfer => &COMMUNE_RECEIVES_AND_TRANSFERS,
            Step::Receive => &INVESTIGATOR_RECEIVES,
            Step::Accept => &COMMUNE_HEAD_SCOPE,
            Step::NotCrime => &NOT_A_CRIME,
            Step::Merge => &MERGE_DUPLICATE,
            Step::ExtendComplex => &COMPLEX_2_MONTHS,
            Step::ExtendProcuracy => &PROCURACY_EXTENSION,
            Step::Prosecute | Step::NotProsecute | Step::Suspend => &DECISIONS,
            Step::Resume => &RESUME_NEW_PERIOD,
        }
    }

    /// Whether the step is a decision that must carry its number, date and signer.
    pub fn needs_act(self) -> bool {
        matches!(
            self,
            Step::ExtendProcuracy
                | Step::Prosecute
                | Step::NotProsecute
                | Step::Suspend
                | Step::Resume
        )
    }

    /// Whether an account of `role` may take this step on a tip at `at`, and where it leads;
    /// a refusal names the rule.
    pub fn check(self, role: Role, at: Position) -> Result<Position, ValidationError> {
        let refuse = |rule: &'static Rule| ValidationError::StepNotAllowed {
            step: self.as_str(),
            rule: rule.id,
        };
        if !self.from().contains(&at.status) {
            return Err(refuse(self.rule()));
        }
        if !capacities(role).contains(&self.needs(at.holder)) {
            return Err(refuse(self.rule()));
        }
        let period_ok = match self {
            Step::ExtendComplex => at.period == Some(TipPeriod::First),
            Step::ExtendProcuracy => {
                matches!(at.period, Some(TipPeriod::First | TipPeriod::Complex))
            }
            _ => true,
        };
        if !period_ok {
            return Err(refuse(self.rule()));
        }
        Ok(Position {
            status: self.to(at.status),
            holder: self.holder_after(at.holder),
            period: at.period,
        })
    }

    /// The steps an account of `role` may take on a tip at `at` (the console's buttons).
    pub fn available(role: Role, at: Position) -> Vec<Step> {
        Step::ALL
            .iter()
            .copied()
            .filter(|s| s.check(role, at).is_ok())
            .collect()
    }
}

/// What the old `transition` endpoint's targets mean now: the ward closing a crime tip as
/// "resolved" or "rejected" is refused with the rule it breaks.
pub fn step_for_status(to: TipStatus) -> Result<Step, ValidationError> {
    match to {
        TipStatus::Verifying => Ok(Step::Check),
        TipStatus::Transferred => Ok(Step::Transfer),
        TipStatus::NotCrime => Ok(Step::NotCrime),
        TipStatus::Merged => Ok(Step::Merge),
        TipStatus::Handling => Ok(Step::Accept),
        TipStatus::Received
        | TipStatus::Suspended
        | TipStatus::Decided
        | TipStatus::Resolved
        | TipStatus::Rejected => Err(ValidationError::StepNotAllowed {
            step: to.as_str(),
            rule: COMMUNE_RECEIVES_AND_TRANSFERS.id,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TipStatus;
    /// BLTTHS art. 147.1 ("… ra một trong các quyết định: a) … khởi tố …; b) … không khởi tố …; c) …
    /// tạm đình chỉ …") and TT 28/2020 art. 7 (the transfer): the steps after which a tip counts as
    /// handled — on time or late — in the year's "tips handled on time".
    #[test]
    fn bltths_art147_cl1_the_steps_that_conclude_a_period() {
        let concluding: Vec<Step> = Step::ALL
            .iter()
            .copied()
            .filter(|s| s.concludes())
            .collect();
        assert_eq!(
            concluding,
            [
                Step::Transfer,
                Step::NotCrime,
                Step::Prosecute,
                Step::NotProsecute,
                Step::Suspend
            ]
        );
        // On time up to the end of the period, late after it; not counted without a clock.
        let vn = |d: u32, h: u32, m: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, d)
                .and_then(|x| x.and_hms_opt(h, m, 0))
                .expect("a real time")
                - chrono::TimeDelta::hours(7)
        };
        let due = vn(22, 23, 59);
        assert_eq!(Step::NotProsecute.on_time(due, Some(due)), Some(true));
        assert_eq!(
            Step::NotProsecute.on_time(vn(23, 8, 0), Some(due)),
            Some(false)
        );
        assert_eq!(Step::Suspend.on_time(due, None), None);
        assert_eq!(Step::ExtendComplex.on_time(due, Some(due)), None);
        // Each leaves the stage whose clock runs: the clock stops with it.
        for s in concluding {
            assert!(!matches!(
                s.to(s.from()[0]),
                TipStatus::Received | TipStatus::Verifying | TipStatus::Handling
            ));
        }
    }
}
