//! Closed vocabularies of the domain, each with its wire name and Vietnamese / English labels.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// A closed vocabulary with a wire name and a label in each language, for code that shows any of
/// them (the console's one `label` helper).
pub trait Labelled: Copy {
    fn wire(self) -> &'static str;
    fn label_vi(self) -> &'static str;
    fn label_en(self) -> &'static str;
}

macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, $vi:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "db", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "db", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                #[cfg_attr(feature = "openapi", schema(rename = $wire))]
                $variant,
            )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WIRE_NAMES: &'static [&'static str] = &[$($wire),+];

            /// The wire name, e.g. `ward_officer`.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            pub fn parse(s: &str) -> Result<Self, ValidationError> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    "" => Err(ValidationError::Required),
                    _ => Err(ValidationError::UnknownValue { allowed: Self::WIRE_NAMES }),
                }
            }
        }

        impl $crate::enums::Labelled for $name {
            fn wire(self) -> &'static str {
                self.as_str()
            }
            fn label_vi(self) -> &'static str {
                $name::label_vi(self)
            }
            fn label_en(self) -> &'static str {
                $name::label_en(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        #[cfg(feature = "db")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        #[cfg(feature = "db")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let s = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                Self::parse(&s).map_err(|_| {
                    format!(concat!("not a ", stringify!($name), ": {:?}"), s).into()
                })
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum! {
    /// Kinds of unit in the tree. Administrative units come from the official list; the others
    /// are created on the platform under a commune (or a province).
    UnitKind {
        /// tỉnh / thành phố trực thuộc trung ương
        Province = "province", "Tỉnh/thành phố", "Province";
        /// huyện — abolished on 1 July 2025, kept for history
        District = "district", "Huyện (trước 2025)", "District (before 2025)";
        /// xã / phường / đặc khu
        Commune = "commune", "Xã/phường/đặc khu", "Commune";
        /// khu dân cư — thôn, ấp, bản, tổ dân phố
        ResidentialArea = "residential_area", "Khu dân cư", "Residential area";
        /// cơ sở giáo dục
        School = "school", "Trường học", "School";
        /// lớp học
        Class = "class", "Lớp học", "Class";
        /// cơ quan
        Agency = "agency", "Cơ quan", "Agency";
        /// doanh nghiệp
        Enterprise = "enterprise", "Doanh nghiệp", "Enterprise";
        /// phòng, ban, phân xưởng
        Department = "department", "Phòng/ban", "Department";
    }
}

impl UnitKind {
    /// Administrative units come from the state's list, not from users.
    pub fn is_administrative(self) -> bool {
        matches!(self, Self::Province | Self::District | Self::Commune)
    }

    /// Whether a unit of this kind may be placed directly under a unit of kind `parent`.
    pub fn allowed_under(self, parent: UnitKind) -> bool {
        use UnitKind::*;
        match self {
            Province => false,
            District => parent == Province,
            Commune => matches!(parent, Province | District),
            ResidentialArea => parent == Commune,
            School | Agency | Enterprise => parent == Commune,
            Class => parent == School,
            Department => matches!(parent, Agency | Enterprise),
        }
    }
}

labelled_enum! {
    /// What an account may do; always paired with a scope unit.
    Role {
        /// Công an xã/phường/đặc khu
        WardOfficer = "ward_officer", "Cán bộ Công an xã/phường", "Ward police officer";
        SchoolAdmin = "school_admin", "Quản trị trường học", "School administrator";
        OrgAdmin = "org_admin", "Quản trị cơ quan/doanh nghiệp", "Agency/enterprise administrator";
        /// Công an tỉnh (PV05) / Ban Chỉ đạo tỉnh
        ProvinceOfficer = "province_officer", "Cán bộ cấp tỉnh", "Province officer";
        /// Trưởng/Phó trưởng Công an xã là Điều tra viên, được Thủ trưởng Cơ quan Cảnh sát điều
        /// tra Công an tỉnh phân công thụ lý tội ít nghiêm trọng, nghiêm trọng trên địa bàn xã
        /// (BLTTHS 2015 art. 37 as amended by the 2025 law, in force 1 July 2025). Granted by the
        /// province: the grant is the assignment.
        CommuneHead = "commune_head", "Trưởng/Phó Công an xã được phân công thụ lý", "Commune police head (assigned to handle cases)";
        /// Cơ quan Cảnh sát điều tra Công an tỉnh: receives the tips the communes transfer.
        Investigator = "investigator", "Cơ quan Cảnh sát điều tra Công an tỉnh", "Provincial investigating body";
        /// Trưởng thôn / Tổ trưởng tổ dân phố: chairs the residential area's self-assessment with
        /// the party cell, the front committee and the commune police (TT 124 art. 9). Scoped to
        /// one residential area; sees its assessment and nothing of tips or pledges.
        AreaHead = "area_head", "Trưởng thôn/Tổ trưởng tổ dân phố", "Head of a residential area";
        /// Chủ tịch / Phó Chủ tịch Ủy ban nhân dân cấp xã: decides the recognition of the
        /// commune's residential areas, agencies, enterprises and schools and proposes the
        /// commune's own (TT 124 art. 9–10). Scoped to one commune; nothing of tips.
        CommuneLeader = "commune_leader", "Lãnh đạo UBND xã/phường", "Commune People's Committee leader";
        /// Sở Giáo dục và Đào tạo: runs the movement across the province's schools (seed 003,
        /// the education department's plan: «tuyên truyền tới … học sinh, phụ huynh học sinh»;
        /// «nâng cao chất lượng xây dựng các nhà trường đạt tiêu chuẩn "An toàn về an ninh, trật
        /// tự"»). Scoped to a province and, within it, to schools and their classes only
        /// ([`Role::sees_kind`]): their pupils' pledge coverage, assessments, briefings and
        /// models — never a tip, a pledge's signer or another kind of unit. Granted by the
        /// province.
        EducationOfficer = "education_officer", "Cán bộ Sở Giáo dục và Đào tạo", "Provincial education department officer";
        /// Giáo viên chủ nhiệm: collects the commitments of one class — sees its roster and who
        /// has signed, enters the class's paper forms — and nothing else of the school. Scoped
        /// to a class; granted by the school (or the province).
        FormTeacher = "form_teacher", "Giáo viên chủ nhiệm", "Form teacher";
        Admin = "admin", "Quản trị hệ thống", "System administrator";
    }
}

impl Role {
    /// Unit kinds an account of this role may be scoped to.
    pub fn scope_kinds(self) -> &'static [UnitKind] {
        match self {
            Role::WardOfficer | Role::CommuneHead => &[UnitKind::Commune],
            Role::Investigator => &[UnitKind::Province],
            Role::AreaHead => &[UnitKind::ResidentialArea],
            Role::CommuneLeader => &[UnitKind::Commune],
            Role::EducationOfficer => &[UnitKind::Province],
            Role::FormTeacher => &[UnitKind::Class],
            Role::SchoolAdmin => &[UnitKind::School],
            Role::OrgAdmin => &[UnitKind::Agency, UnitKind::Enterprise],
            Role::ProvinceOfficer => &[UnitKind::Province],
            Role::Admin => &[UnitKind::Province],
        }
    }

    /// Kinds of unit an account of this role may create inside its scope.
    pub fn may_create(self, kind: UnitKind) -> bool {
        use UnitKind::*;
        match self {
            Role::Admin => true,
            Role::ProvinceOfficer => !matches!(kind, Province | District),
            Role::WardOfficer => matches!(kind, ResidentialArea | School | Agency | Enterprise),
            Role::SchoolAdmin => kind == Class,
            Role::OrgAdmin => kind == Department,
            Role::CommuneHead
            | Role::Investigator
            | Role::AreaHead
            | Role::CommuneLeader
            | Role::EducationOfficer
            | Role::FormTeacher => false,
        }
    }

    /// The kinds of unit inside its scope an account of this role sees through the general scope
    /// check: the education department only schools and their classes; a form teacher none — it
    /// reaches its class only through the class's sheet and its paper forms, which check the
    /// class themselves; every other role all.
    pub fn sees_kind(self, kind: UnitKind) -> bool {
        match self {
            Role::EducationOfficer => matches!(kind, UnitKind::School | UnitKind::Class),
            Role::FormTeacher => false,
            _ => true,
        }
    }

    /// Whether this role reads the records of a commune's security — its residential areas'
    /// security teams and festivals, the events of criterion 4 (crimes, fires, accidents), its
    /// registrations board: all but the education department, which sees schools only.
    pub fn sees_security_records(self) -> bool {
        self != Role::EducationOfficer
    }

    /// Commune police: the ward officers and the assigned commune head, who receive tips.
    pub fn is_commune_police(self) -> bool {
        matches!(self, Role::WardOfficer | Role::CommuneHead)
    }

    /// Roles whose existing accounts inside its scope an account of this role may lock, unlock
    /// or give a new password: those it may grant, except its peers — only an administrator
    /// manages accounts of the caller's own role (else one province officer could take over
    /// another's account).
    pub fn may_manage(self, other: Role) -> bool {
        self.may_grant(other) && (self == Role::Admin || other != self)
    }

    /// Roles an account of this role may grant to accounts inside its scope.
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::ProvinceOfficer => other != Role::Admin,
            // The commune's police set up the accounts of its schools, agencies, enterprises and
            // the heads of its residential areas; the commune's leaders are granted by the
            // province.
            Role::WardOfficer => {
                matches!(other, Role::SchoolAdmin | Role::OrgAdmin | Role::AreaHead)
            }
            // A school sets up its form teachers.
            Role::SchoolAdmin => other == Role::FormTeacher,
            Role::OrgAdmin
            | Role::CommuneHead
            | Role::Investigator
            | Role::AreaHead
            | Role::CommuneLeader
            | Role::EducationOfficer
            | Role::FormTeacher => false,
        }
    }
}

labelled_enum! {
    /// Audience of a pledge campaign.
    PledgeKind {
        /// hộ gia đình
        Household = "household", "Hộ gia đình", "Household";
        /// học sinh
        Student = "student", "Học sinh", "Student";
        /// cán bộ, công nhân viên
        Worker = "worker", "Cán bộ, công nhân viên", "Worker";
    }
}

labelled_enum! {
    /// State of a signed pledge. Only `valid` and `verified` pledges count in coverage.
    PledgeStatus {
        Valid = "valid", "Hợp lệ", "Valid";
        /// checked by an officer against papers
        Verified = "verified", "Đã xác minh", "Verified";
        /// kept, no longer counted
        Void = "void", "Đã hủy", "Void";
        /// another household contested it (or it contests another): neither counts until the
        /// ward decides
        Disputed = "disputed", "Đang tranh chấp", "Disputed";
    }
}

impl PledgeStatus {
    /// Whether a pledge in this state counts in coverage.
    pub fn counts(self) -> bool {
        matches!(self, PledgeStatus::Valid | PledgeStatus::Verified)
    }
}

labelled_enum! {
    /// How a pledge reached the platform.
    PledgeChannel {
        /// signed by the person on their phone (the form, a QR code, an embedded form)
        SelfSigned = "self", "Tự ký trên điện thoại", "Signed online";
        /// a signed paper form, entered by an officer (kept with the paper)
        Paper = "paper", "Nhập từ phiếu giấy", "Entered from paper";
    }
}

labelled_enum! {
    /// What became of a contest of a pledge.
    DisputeStatus {
        /// Waiting for the ward: neither pledge counts.
        Open = "open", "Chờ xử lý", "Open";
        /// The pledge signed first stands; the contesting one is void.
        Upheld = "upheld", "Giữ cam kết ký trước", "First pledge upheld";
        /// The contesting pledge stands; the one signed first is void.
        Replaced = "replaced", "Thay bằng cam kết khiếu nại", "Replaced by the contesting pledge";
    }
}

labelled_enum! {
    /// Why an officer should look at a pledge.
    PledgeFlag {
        /// one client address signed many pledges of the campaign within a few minutes
        Burst = "burst", "Nhiều cam kết từ một địa chỉ mạng trong thời gian ngắn", "Many signings from one network address in a short time";
        /// the unit has a roster and the signer matches no row of it
        OffRoster = "off_roster", "Không có trong danh sách", "Not on the roster";
    }
}

labelled_enum! {
    /// Category of a crime tip (tố giác, tin báo về tội phạm).
    TipCategory {
        Drugs = "drugs", "Ma túy", "Drugs";
        TheftRobbery = "theft_robbery", "Trộm cắp, cướp tài sản", "Theft or robbery";
        Fraud = "fraud", "Lừa đảo (kể cả trên mạng)", "Fraud (including online)";
        Gambling = "gambling", "Cờ bạc, cá độ", "Gambling or betting";
        Weapons = "weapons", "Vũ khí, vật liệu nổ", "Weapons or explosives";
        HumanTrafficking = "human_trafficking", "Mua bán người", "Human trafficking";
        Violence = "violence", "Bạo lực, gây rối", "Violence or disorder";
        SocialEvils = "social_evils", "Tệ nạn xã hội", "Social evils";
        Other = "other", "Khác", "Other";
    }
}

labelled_enum! {
    /// The stage of a tip in the procedure (see `tip::procedure`, which says who moves it where).
    TipStatus {
        /// tiếp nhận (biên bản tiếp nhận)
        Received = "received", "Đã tiếp nhận", "Received";
        /// kiểm tra, xác minh sơ bộ
        Verifying = "verifying", "Đang kiểm tra, xác minh sơ bộ", "Preliminary check";
        /// đã chuyển Cơ quan điều tra, chờ tiếp nhận
        Transferred = "transferred", "Đã chuyển Cơ quan điều tra", "Transferred to investigators";
        /// đang giải quyết (thụ lý) by the investigating body or the assigned commune head
        Handling = "handling", "Đang giải quyết", "Being handled";
        /// tạm đình chỉ việc giải quyết (BLTTHS art. 148)
        Suspended = "suspended", "Tạm đình chỉ giải quyết", "Suspended";
        /// đã ra quyết định khởi tố / không khởi tố vụ án
        Decided = "decided", "Đã ra quyết định", "Decided";
        /// không phải tội phạm, đã chuyển xử lý theo thẩm quyền
        NotCrime = "not_crime", "Không phải tội phạm, đã chuyển xử lý", "Not a crime, referred";
        /// Closed by a ward before the procedure was followed (kept for old tips; no step leads
        /// here any more).
        Resolved = "resolved", "Đã giải quyết (trước quy trình mới)", "Resolved (before the procedure)";
        /// không có căn cứ — closed by a ward before the procedure was followed (old tips only).
        Rejected = "rejected", "Không có căn cứ (trước quy trình mới)", "Rejected (before the procedure)";
        /// trùng lặp, đã gộp
        Merged = "merged", "Đã gộp với tin khác", "Merged into another tip";
    }
}

impl TipStatus {
    /// The stages in which a legal clock runs.
    pub const OPEN: &'static [TipStatus] = &[
        TipStatus::Received,
        TipStatus::Verifying,
        TipStatus::Handling,
    ];

    /// No step leads anywhere from a closed tip.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            TipStatus::Decided
                | TipStatus::NotCrime
                | TipStatus::Resolved
                | TipStatus::Rejected
                | TipStatus::Merged
        )
    }
}

labelled_enum! {
    /// Where a self-assessment (tự đánh giá) stands: the unit edits a draft, submits it, the level
    /// above approves it (locked) or returns it with a comment.
    AssessmentStatus {
        Draft = "draft", "Bản nháp", "Draft";
        /// chờ cấp trên xét duyệt
        Submitted = "submitted", "Đã nộp, chờ duyệt", "Submitted, awaiting review";
        /// đã phê duyệt
        Approved = "approved", "Đã duyệt (khóa)", "Approved (locked)";
        /// trả lại để sửa
        Returned = "returned", "Bị trả lại để sửa", "Returned for changes";
    }
}

impl AssessmentAction {
    /// Whether the action fills the assessment (everything but a review): whoever did one does
    /// not review it (`recognition::may_decide_own`).
    pub fn fills(self) -> bool {
        !matches!(
            self,
            AssessmentAction::Approved | AssessmentAction::Returned
        )
    }
}

impl AssessmentStatus {
    /// The unit may still change its answers.
    pub fn editable(self) -> bool {
        matches!(self, AssessmentStatus::Draft | AssessmentStatus::Returned)
    }
}

labelled_enum! {
    /// One step of an assessment's history.
    AssessmentAction {
        Created = "created", "Tạo", "Created";
        Saved = "saved", "Lưu", "Saved";
        /// thêm tệp minh chứng
        FileAdded = "file_added", "Thêm tệp minh chứng", "Evidence file added";
        Submitted = "submitted", "Gửi xét duyệt", "Submitted";
        Approved = "approved", "Phê duyệt", "Approved";
        Returned = "returned", "Trả lại", "Returned";
    }
}

labelled_enum! {
    /// phân loại phong trào — yearly classification on the QĐ 510 scorecard.
    Classification {
        XuatSac = "xuat_sac", "Xuất sắc", "Excellent";
        Kha = "kha", "Khá", "Good";
        TrungBinh = "trung_binh", "Trung bình", "Average";
        Yeu = "yeu", "Yếu", "Weak";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_roundtrip_and_labels_differ() {
        fn check<T: Copy + std::fmt::Debug + PartialEq>(
            all: &[T],
            s: fn(T) -> &'static str,
            p: fn(&str) -> Result<T, ValidationError>,
            vi: fn(T) -> &'static str,
            en: fn(T) -> &'static str,
        ) {
            for &v in all {
                assert_eq!(p(s(v)), Ok(v));
                assert!(!vi(v).is_empty() && !en(v).is_empty());
            }
        }
        check(
            UnitKind::ALL,
            UnitKind::as_str,
            UnitKind::parse,
            UnitKind::label_vi,
            UnitKind::label_en,
        );
        check(
            Role::ALL,
            Role::as_str,
            Role::parse,
            Role::label_vi,
            Role::label_en,
        );
        check(
            PledgeKind::ALL,
            PledgeKind::as_str,
            PledgeKind::parse,
            PledgeKind::label_vi,
            PledgeKind::label_en,
        );
        check(
            TipCategory::ALL,
            TipCategory::as_str,
            TipCategory::parse,
            TipCategory::label_vi,
            TipCategory::label_en,
        );
        check(
            TipStatus::ALL,
            TipStatus::as_str,
            TipStatus::parse,
            TipStatus::label_vi,
            TipStatus::label_en,
        );
        check(
            Classification::ALL,
            Classification::as_str,
            Classification::parse,
            Classification::label_vi,
            Classification::label_en,
        );
        assert_eq!(
            Role::parse("boss"),
            Err(ValidationError::UnknownValue {
                allowed: Role::WIRE_NAMES
            })
        );
    }

    #[test]
    fn serde_uses_wire_names() {
        assert_eq!(
            serde_json::to_string(&Role::WardOfficer).unwrap(),
            "\"ward_officer\""
        );
        assert_eq!(
            serde_json::to_string(&Classification::TrungBinh).unwrap(),
            "\"trung_binh\""
        );
    }

    #[test]
    fn unit_tree_rules() {
        assert!(UnitKind::Class.allowed_under(UnitKind::School));
        assert!(!UnitKind::Class.allowed_under(UnitKind::Commune));
        assert!(UnitKind::Commune.allowed_under(UnitKind::Province));
        assert!(!UnitKind::Province.allowed_under(UnitKind::Province));
        assert!(Role::WardOfficer.may_create(UnitKind::ResidentialArea));
        assert!(!Role::WardOfficer.may_create(UnitKind::Commune));
        assert!(!Role::WardOfficer.may_grant(Role::ProvinceOfficer));
        // Peers are managed by administrators only.
        assert!(Role::ProvinceOfficer.may_grant(Role::ProvinceOfficer));
        assert!(!Role::ProvinceOfficer.may_manage(Role::ProvinceOfficer));
        assert!(Role::ProvinceOfficer.may_manage(Role::WardOfficer));
        assert!(Role::Admin.may_manage(Role::Admin));
    }
}
