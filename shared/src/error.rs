//! The typed validation error every parser returns, and the RFC 7807 problem body that carries it
//! over the wire. Server and browser show the same code and the same two messages.

use serde::{Deserialize, Serialize};

/// Why a value was rejected. Each variant has a stable machine code (`code()`), a Vietnamese
/// message and an English message; the wording is part of the API contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("required")]
    Required,
    #[error("too long (max {max})")]
    TooLong { max: usize },
    #[error("too short (min {min})")]
    TooShort { min: usize },
    #[error("not in Unicode NFC form")]
    NotNfc,
    #[error("invalid character")]
    InvalidCharacter { ch: char },
    #[error("name has no letter")]
    NameWithoutLetter,
    #[error("CCCD must be 12 digits")]
    CitizenIdFormat,
    #[error("unknown province code in CCCD")]
    CitizenIdProvince,
    #[error("CCCD does not match the date of birth")]
    CitizenIdBirthMismatch,
    #[error("invalid Vietnamese mobile number")]
    PhoneFormat,
    #[error("invalid unit code")]
    UnitCodeFormat,
    #[error("unknown value")]
    UnknownValue { allowed: &'static [&'static str] },
    #[error("invalid date")]
    DateFormat,
    #[error("date in the future")]
    DateInFuture,
    #[error("out of range")]
    OutOfRange { min: i64, max: i64 },
    #[error("unknown unit")]
    UnknownUnit,
    #[error("unit kind cannot be placed there")]
    UnitKindNotAllowed,
    #[error("username format")]
    UsernameFormat,
    #[error("password too weak")]
    PasswordTooWeak { min: usize },
    #[error("campaign code format")]
    CampaignCodeFormat,
    #[error("not every commitment accepted")]
    CommitmentsIncomplete,
    #[error("guardian co-signature required")]
    GuardianRequired,
    #[error("privacy consent required")]
    ConsentRequired,
    #[error("receipt code format")]
    ReceiptCodeFormat,
    #[error("not a JPEG, PNG or WebP image")]
    ImageType,
    #[error("image too large (max {max_kb} KB)")]
    ImageTooLarge { max_kb: usize },
    #[error("too many items (max {max})")]
    TooMany { max: usize },
    #[error("not valid base64")]
    Base64,
    /// A step of a tip's procedure this caller may not take on this tip now; names the rule
    /// (`tip::procedure::RULES`).
    #[error("step {step} not allowed ({rule})")]
    StepNotAllowed {
        step: &'static str,
        rule: &'static str,
    },
    /// The same value twice where each must be unique.
    #[error("duplicate")]
    Duplicate,
    /// A period whose end comes before its start.
    #[error("ends before it starts")]
    EndBeforeStart,
    /// The account's current password, given to change it, is not right.
    #[error("wrong current password")]
    WrongPassword,
    /// A new password that is the same as the current one.
    #[error("new password equals the current one")]
    PasswordUnchanged,
    /// A fraud indicator (`tip::indicator`) that is not a phone number, account, link or
    /// account name of its kind.
    #[error("not a valid {kind}")]
    IndicatorFormat { kind: &'static str },
    /// Fraud indicators sent with a tip of another category.
    #[error("indicators are for fraud tips only")]
    FraudOnly,
    /// A decision number without its symbol (số và ký hiệu, e.g. `1234/QĐ-UBND`).
    #[error("decision number format")]
    DecisionNumberFormat,
    /// A unit Thông tư 124 does not apply to (art. 1.2.b), or an exclusion that does not fit
    /// the unit's kind.
    #[error("outside Circular 124")]
    OutsideTt124,
    /// A recognition decision where nothing is recognised (an outcome below the standard, or a
    /// return).
    #[error("not recognised")]
    NotRecognised,
    /// A scorecard whose items do not total 100 points.
    #[error("scorecard totals {total}, not 100")]
    ScorecardTotal { total: u32 },
    /// Classification cut-offs not in order: 100 ≥ xuất sắc > khá > trung bình > 0.
    #[error("bands out of order")]
    BandsOrder,
    /// A scorecard line that is not `code | points | title | English title`.
    #[error("scorecard line format")]
    ScorecardLine,
}

impl ValidationError {
    /// Stable machine-readable code, e.g. `cccd_format`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::TooShort { .. } => "too_short",
            Self::NotNfc => "not_nfc",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::NameWithoutLetter => "name_without_letter",
            Self::CitizenIdFormat => "cccd_format",
            Self::CitizenIdProvince => "cccd_province",
            Self::CitizenIdBirthMismatch => "cccd_birth_mismatch",
            Self::PhoneFormat => "phone_format",
            Self::UnitCodeFormat => "unit_code_format",
            Self::UnknownValue { .. } => "unknown_value",
            Self::DateFormat => "date_format",
            Self::DateInFuture => "date_in_future",
            Self::OutOfRange { .. } => "out_of_range",
            Self::UnknownUnit => "unknown_unit",
            Self::UnitKindNotAllowed => "unit_kind_not_allowed",
            Self::UsernameFormat => "username_format",
            Self::PasswordTooWeak { .. } => "password_too_weak",
            Self::CampaignCodeFormat => "campaign_code_format",
            Self::CommitmentsIncomplete => "commitments_incomplete",
            Self::GuardianRequired => "guardian_required",
            Self::ConsentRequired => "consent_required",
            Self::ReceiptCodeFormat => "receipt_code_format",
            Self::ImageType => "image_type",
            Self::ImageTooLarge { .. } => "image_too_large",
            Self::TooMany { .. } => "too_many",
            Self::Base64 => "base64_format",
            Self::StepNotAllowed { .. } => "step_not_allowed",
            Self::Duplicate => "duplicate",
            Self::EndBeforeStart => "end_before_start",
            Self::WrongPassword => "wrong_password",
            Self::PasswordUnchanged => "password_unchanged",
            Self::IndicatorFormat { .. } => "indicator_format",
            Self::FraudOnly => "fraud_only",
            Self::DecisionNumberFormat => "decision_number_format",
            Self::OutsideTt124 => "outside_tt124",
            Self::NotRecognised => "not_recognised",
            Self::ScorecardTotal { .. } => "scorecard_total",
            Self::BandsOrder => "bands_order",
            Self::ScorecardLine => "scorecard_line",
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            Self::Required => "Vui lòng nhập thông tin này.".into(),
            Self::TooLong { max } => format!("Quá dài: tối đa {max} ký tự."),
            Self::TooShort { min } => format!("Quá ngắn: tối thiểu {min} ký tự."),
            Self::NotNfc => "Văn bản phải ở dạng Unicode dựng sẵn (NFC).".into(),
            Self::InvalidCharacter { ch } => format!("Ký tự không hợp lệ: «{ch}»."),
            Self::NameWithoutLetter => "Họ tên phải có chữ cái.".into(),
            Self::CitizenIdFormat => "Số CCCD phải gồm đúng 12 chữ số.".into(),
            Self::CitizenIdProvince => "Mã tỉnh nơi đăng ký khai sinh trong số CCCD không đúng.".into(),
            Self::CitizenIdBirthMismatch => "Số CCCD không khớp với ngày sinh.".into(),
            Self::PhoneFormat => {
                "Số điện thoại di động không hợp lệ (ví dụ 0912345678 hoặc +84912345678).".into()
            }
            Self::UnitCodeFormat => "Mã đơn vị không hợp lệ.".into(),
            Self::UnknownValue { allowed } => {
                format!("Giá trị không hợp lệ; chọn một trong: {}.", allowed.join(", "))
            }
            Self::DateFormat => "Ngày không hợp lệ (định dạng YYYY-MM-DD).".into(),
            Self::DateInFuture => "Ngày không được ở tương lai.".into(),
            Self::OutOfRange { min, max } => format!("Giá trị phải từ {min} đến {max}."),
            Self::UnknownUnit => "Không tìm thấy đơn vị này.".into(),
            Self::UnitKindNotAllowed => "Không thể tạo loại đơn vị này ở đây.".into(),
            Self::UsernameFormat => {
                "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang."
                    .into()
            }
            Self::PasswordTooWeak { min } => format!("Mật khẩu phải có ít nhất {min} ký tự."),
            Self::CampaignCodeFormat => {
                "Mã đợt cam kết gồm 6 ký tự (chữ in hoa và số, không có 0, O, 1, I, L).".into()
            }
            Self::CommitmentsIncomplete => "Vui lòng đánh dấu đồng ý với tất cả các nội dung cam kết.".into(),
            Self::GuardianRequired => {
                "Học sinh dưới 18 tuổi cần có chữ ký của cha, mẹ hoặc người giám hộ.".into()
            }
            Self::ConsentRequired => "Vui lòng đồng ý với thông báo về xử lý dữ liệu cá nhân.".into(),
            Self::ReceiptCodeFormat => {
                "Mã tiếp nhận gồm 20 ký tự (chữ in hoa và số), ví dụ ABCD-EFGH-JKMN-PQRS-TUVW.".into()
            }
            Self::ImageType => "Chỉ nhận ảnh JPEG, PNG hoặc WebP.".into(),
            Self::ImageTooLarge { max_kb } => format!("Ảnh quá lớn: tối đa {max_kb} KB."),
            Self::TooMany { max } => format!("Quá nhiều: tối đa {max}."),
            Self::Base64 => "Dữ liệu tệp không đúng định dạng base64.".into(),
            Self::StepNotAllowed { rule, .. } => format!(
                "Không thực hiện được bước này ở giai đoạn hiện tại hoặc với vai trò của bạn. Quy định: {}.",
                crate::tip::rule(rule).map_or(*rule, |r| r.vi)
            ),
            Self::Duplicate => "Giá trị bị trùng.".into(),
            Self::EndBeforeStart => "Ngày kết thúc không được trước ngày bắt đầu.".into(),
            Self::WrongPassword => "Mật khẩu hiện tại không đúng.".into(),
            Self::PasswordUnchanged => "Mật khẩu mới phải khác mật khẩu hiện tại.".into(),
            Self::IndicatorFormat { kind } => match *kind {
                "phone" => "Số điện thoại không hợp lệ (ví dụ 0912345678, 1900xxxx hoặc +855…).",
                "bank_account" => "Số tài khoản gồm 6–24 chữ số hoặc chữ cái.",
                "link" => "Đường link không hợp lệ (ví dụ https://ten-trang.com/duong-dan).",
                _ => "Tài khoản không hợp lệ (ví dụ facebook.com/ten-tai-khoan hoặc @ten).",
            }
            .into(),
            Self::FraudOnly => {
                "Chỉ điền số điện thoại, tài khoản, đường link của đối tượng khi chọn loại tin \
                 «Lừa đảo»."
                    .into()
            }
            Self::DecisionNumberFormat => {
                "Số quyết định gồm số và ký hiệu, ví dụ 1234/QĐ-UBND.".into()
            }
            Self::OutsideTt124 => "Không thuộc đối tượng áp dụng Thông tư 124/2021/TT-BCA (điểm b \
                 khoản 2 Điều 1): lực lượng vũ trang chỉ với cơ quan, doanh nghiệp nhỏ, siêu nhỏ chỉ \
                 với doanh nghiệp, tiểu học, mầm non, nhà trẻ chỉ với cơ sở giáo dục."
                .into(),
            Self::NotRecognised => "Chỉ ghi quyết định công nhận khi phê duyệt một kết quả đạt tiêu \
                 chuẩn «An toàn về an ninh, trật tự»."
                .into(),
            Self::ScorecardTotal { total } => {
                format!("Tổng điểm tối đa của các mục phải là 100 (hiện là {total}).")
            }
            Self::BandsOrder => "Mức điểm phân loại phải theo thứ tự: 100 ≥ xuất sắc > khá > \
                 trung bình > 0."
                .into(),
            Self::ScorecardLine => "Mỗi dòng ghi: mã mục | điểm tối đa | tên mục | tên tiếng Anh \
                 (không bắt buộc); mã gồm chữ, số hoặc dấu chấm."
                .into(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Self::Required => "This field is required.".into(),
            Self::TooLong { max } => format!("Too long: at most {max} characters."),
            Self::TooShort { min } => format!("Too short: at least {min} characters."),
            Self::NotNfc => "Text must be in Unicode NFC (precomposed) form.".into(),
            Self::InvalidCharacter { ch } => format!("Invalid character: «{ch}»."),
            Self::NameWithoutLetter => "A name must contain letters.".into(),
            Self::CitizenIdFormat => "A CCCD number has exactly 12 digits.".into(),
            Self::CitizenIdProvince => {
                "The CCCD's birth-registration province code is not valid.".into()
            }
            Self::CitizenIdBirthMismatch => {
                "The CCCD number does not match the date of birth.".into()
            }
            Self::PhoneFormat => {
                "Not a valid Vietnamese mobile number (e.g. 0912345678 or +84912345678).".into()
            }
            Self::UnitCodeFormat => "Not a valid unit code.".into(),
            Self::UnknownValue { allowed } => {
                format!("Unknown value; expected one of: {}.", allowed.join(", "))
            }
            Self::DateFormat => "Not a valid date (YYYY-MM-DD).".into(),
            Self::DateInFuture => "The date cannot be in the future.".into(),
            Self::OutOfRange { min, max } => format!("The value must be between {min} and {max}."),
            Self::UnknownUnit => "No such unit.".into(),
            Self::UnitKindNotAllowed => "This kind of unit cannot be created here.".into(),
            Self::UsernameFormat => {
                "A username has 3–64 characters: lower-case ASCII letters, digits, '.', '_' or '-'."
                    .into()
            }
            Self::PasswordTooWeak { min } => format!("A password needs at least {min} characters."),
            Self::CampaignCodeFormat => {
                "A campaign code has 6 characters (capital letters and digits, no 0, O, 1, I, L)."
                    .into()
            }
            Self::CommitmentsIncomplete => "Please accept every commitment of the pledge.".into(),
            Self::GuardianRequired => {
                "A student under 18 needs the co-signature of a parent or guardian.".into()
            }
            Self::ConsentRequired => {
                "Please accept the notice on the processing of personal data.".into()
            }
            Self::ReceiptCodeFormat => {
                "A receipt code has 20 characters (capital letters and digits), e.g. ABCD-EFGH-JKMN-PQRS-TUVW."
                    .into()
            }
            Self::ImageType => "Only JPEG, PNG or WebP photos are accepted.".into(),
            Self::ImageTooLarge { max_kb } => format!("The photo is too large: at most {max_kb} KB."),
            Self::TooMany { max } => format!("Too many: at most {max}."),
            Self::Base64 => "The file data is not valid base64.".into(),
            Self::StepNotAllowed { rule, .. } => format!(
                "This step cannot be taken at this stage or in your role. Rule: {}.",
                crate::tip::rule(rule).map_or(*rule, |r| r.en)
            ),
            Self::Duplicate => "The same value appears twice.".into(),
            Self::EndBeforeStart => "The end date cannot come before the start date.".into(),
            Self::WrongPassword => "The current password is not right.".into(),
            Self::PasswordUnchanged => "The new password must differ from the current one.".into(),
            Self::IndicatorFormat { kind } => match *kind {
                "phone" => "Not a valid phone number (e.g. 0912345678, 1900xxxx or +855…).",
                "bank_account" => "An account number has 6–24 digits or letters.",
                "link" => "Not a valid link (e.g. https://site-name.com/path).",
                _ => "Not a valid account (e.g. facebook.com/account-name or @name).",
            }
            .into(),
            Self::FraudOnly => {
                "The suspect's phone numbers, accounts and links go with a fraud tip only.".into()
            }
            Self::DecisionNumberFormat => {
                "A decision number is a number and its symbol, e.g. 1234/QĐ-UBND.".into()
            }
            Self::OutsideTt124 => "Outside Circular 124/2021/TT-BCA (art. 1.2.b): armed forces \
                 apply to agencies only, small and micro to enterprises only, primary and \
                 pre-school to schools only."
                .into(),
            Self::NotRecognised => "A recognition decision is recorded only when approving an \
                 outcome that meets the «safe» standard."
                .into(),
            Self::ScorecardTotal { total } => {
                format!("The items' maximum points must total 100 (now {total}).")
            }
            Self::BandsOrder => "Cut-offs must be in order: 100 ≥ excellent > good > average > 0."
                .into(),
            Self::ScorecardLine => "Each line: item code | maximum points | title | English title \
                 (optional); a code is letters, digits or dots."
                .into(),
        }
    }

    /// The error attached to a named field, as sent in a problem body.
    pub fn on(self, field: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            error: self,
        }
    }
}

/// A validation error and the field (JSON pointer-like dotted path, e.g. `guardian.phone`) it
/// belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub error: ValidationError,
}

impl FieldError {
    pub fn to_problem_item(&self) -> ProblemField {
        ProblemField {
            field: self.field.clone(),
            code: self.error.code().to_string(),
            message_vi: self.error.message_vi(),
            message_en: self.error.message_en(),
        }
    }
}

/// One invalid field inside a problem body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

/// RFC 7807 `application/problem+json` body used by every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI reference naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short English summary of the problem type.
    pub title: String,
    pub status: u16,
    /// Stable machine code, e.g. `validation_failed`, `cccd_format`, `rate_limited`.
    pub code: String,
    /// The first invalid field, when the problem is about input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message_vi: String,
    pub message_en: String,
    /// Every invalid field, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// The request id, to quote when asking for help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

impl Problem {
    pub fn new(
        status: u16,
        code: &str,
        title: &str,
        message_vi: String,
        message_en: String,
    ) -> Self {
        Self {
            type_uri: format!("/problems/{code}"),
            title: title.to_string(),
            status,
            code: code.to_string(),
            field: None,
            message_vi,
            message_en,
            errors: Vec::new(),
            request_id: None,
        }
    }

    /// A 422 for one or more invalid fields. The top-level code and messages are those of the
    /// first field so a simple client can show just that.
    pub fn validation(errors: &[FieldError]) -> Self {
        let items: Vec<ProblemField> = errors.iter().map(FieldError::to_problem_item).collect();
        let (code, field, vi, en) = match items.first() {
            Some(f) => (
                f.code.clone(),
                Some(f.field.clone()),
                f.message_vi.clone(),
                f.message_en.clone(),
            ),
            None => (
                "validation_failed".to_string(),
                None,
                "Dữ liệu không hợp lệ.".to_string(),
                "Invalid input.".to_string(),
            ),
        };
        Self {
            type_uri: format!("/problems/{code}"),
            title: "Invalid input".into(),
            status: 422,
            code,
            field,
            message_vi: vi,
            message_en: en,
            errors: items,
            request_id: None,
        }
    }

    /// The message for a field, if the problem names it (used by forms to place errors).
    pub fn for_field(&self, field: &str) -> Option<&ProblemField> {
        self.errors.iter().find(|e| e.field == field)
    }
}

/// Collects field errors while parsing a request, so a client hears about every bad field at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of a parse, if any, and gives back the value.
    pub fn check<T>(&mut self, field: &str, r: Result<T, ValidationError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e.on(field));
                None
            }
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_both_messages_and_a_snake_case_code() {
        let all = [
            ValidationError::Required,
            ValidationError::TooLong { max: 3 },
            ValidationError::TooShort { min: 3 },
            ValidationError::NotNfc,
            ValidationError::InvalidCharacter { ch: '@' },
            ValidationError::NameWithoutLetter,
            ValidationError::CitizenIdFormat,
            ValidationError::CitizenIdProvince,
            ValidationError::CitizenIdBirthMismatch,
            ValidationError::PhoneFormat,
            ValidationError::UnitCodeFormat,
            ValidationError::UnknownValue { allowed: &["a"] },
            ValidationError::DateFormat,
            ValidationError::DateInFuture,
            ValidationError::OutOfRange { min: 0, max: 1 },
            ValidationError::UnknownUnit,
            ValidationError::UnitKindNotAllowed,
            ValidationError::UsernameFormat,
            ValidationError::PasswordTooWeak { min: 12 },
            ValidationError::CampaignCodeFormat,
            ValidationError::CommitmentsIncomplete,
            ValidationError::GuardianRequired,
            ValidationError::ConsentRequired,
            ValidationError::ReceiptCodeFormat,
            ValidationError::ImageType,
            ValidationError::ImageTooLarge { max_kb: 10 },
            ValidationError::TooMany { max: 5 },
            ValidationError::Base64,
            ValidationError::StepNotAllowed {
                step: "accept",
                rule: "commune_head_scope",
            },
            ValidationError::Duplicate,
            ValidationError::EndBeforeStart,
            ValidationError::WrongPassword,
            ValidationError::PasswordUnchanged,
            ValidationError::IndicatorFormat { kind: "phone" },
            ValidationError::IndicatorFormat {
                kind: "bank_account",
            },
            ValidationError::IndicatorFormat { kind: "link" },
            ValidationError::IndicatorFormat { kind: "social" },
            ValidationError::FraudOnly,
            ValidationError::DecisionNumberFormat,
            ValidationError::OutsideTt124,
            ValidationError::NotRecognised,
            ValidationError::ScorecardTotal { total: 95 },
            ValidationError::BandsOrder,
            ValidationError::ScorecardLine,
        ];
        for e in all {
            assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
            assert_ne!(e.message_vi(), e.message_en(), "{e:?} is not translated");
            let code = e.code();
            assert!(
                code.starts_with(|c: char| c.is_ascii_lowercase())
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{e:?}: {code} is not snake case"
            );
        }
    }

    #[test]
    fn validation_problem_names_first_field() {
        let p = Problem::validation(&[
            ValidationError::CitizenIdFormat.on("cccd"),
            ValidationError::PhoneFormat.on("phone"),
        ]);
        assert_eq!(p.status, 422);
        assert_eq!(p.field.as_deref(), Some("cccd"));
        assert_eq!(p.code, "cccd_format");
        assert_eq!(p.errors.len(), 2);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], "/problems/cccd_format");
    }
}
