//! One error type for every handler, rendered as `application/problem+json` with deliberate
//! status codes. Internal causes are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use bvantq_shared::error::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    /// A receipt code that opens nothing — wrong, malformed or purged alike.
    #[error("receipt not found")]
    ReceiptNotFound,
    #[error("conflict: {code}")]
    Conflict {
        code: &'static str,
        vi: String,
        en: String,
    },
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("idempotency key reused with another body")]
    IdempotencyMismatch,
    #[error("idempotency key missing")]
    IdempotencyKeyMissing,
    #[error("bad request body: {0}")]
    BadBody(String),
    #[error("request body larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// An upload budget (photo bytes per hour, globally or for a commune) is spent.
    #[error("upload budget spent")]
    BudgetSpent { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    pub fn field(field: &str, e: bvantq_shared::ValidationError) -> Self {
        Self::Validation(vec![e.on(field)])
    }

    pub fn problem(&self) -> Problem {
        match self {
            Self::Validation(errors) => Problem::validation(errors),
            Self::Unauthorized(code) => {
                let (vi, en) = match *code {
                    "invalid_credentials" => (
                        "Tên đăng nhập hoặc mật khẩu không đúng.",
                        "Wrong username or password.",
                    ),
                    "invalid_refresh_token" => (
                        "Phiên đăng nhập đã hết hạn hoặc bị thu hồi; vui lòng đăng nhập lại.",
                        "The session expired or was revoked; please log in again.",
                    ),
                    "missing_token" => (
                        "Cần đăng nhập để dùng chức năng này.",
                        "You need to log in to use this.",
                    ),
                    "account_locked" => ("Tài khoản này đã bị khóa.", "This account is locked."),
                    _ => (
                        "Mã truy cập không hợp lệ hoặc đã hết hạn.",
                        "The access token is invalid or expired.",
                    ),
                };
                Problem::new(401, code, "Unauthorized", vi.into(), en.into())
            }
            Self::Forbidden(code) => {
                let (vi, en) = match *code {
                    "out_of_scope" => (
                        "Đơn vị này nằm ngoài phạm vi quản lý của tài khoản.",
                        "This unit is outside your account's scope.",
                    ),
                    "template_owner" => (
                        "Chỉ đơn vị sở hữu mẫu cam kết (Bộ hoặc tỉnh đã tạo mẫu) mới được sửa, ban hành hoặc thôi dùng mẫu này.",
                        "Only the template's owner (the national administrators or the province that made it) may edit, publish or retire it.",
                    ),
                    _ => (
                        "Tài khoản không có quyền thực hiện thao tác này.",
                        "Your account is not allowed to do this.",
                    ),
                };
                Problem::new(403, code, "Forbidden", vi.into(), en.into())
            }
            Self::NotFound => Problem::new(
                404,
                "not_found",
                "Not found",
                "Không tìm thấy.".into(),
                "Not found.".into(),
            ),
            Self::ReceiptNotFound => {
                let mut p = Problem::new(
                    404,
                    "receipt_not_found",
                    "Not found",
                    "Không tìm thấy tin báo với mã này. Vui lòng kiểm tra lại mã tiếp nhận (20 ký tự).".into(),
                    "No tip matches this code. Please check the receipt code (20 characters).".into(),
                );
                p.field = Some("receipt_code".into());
                p
            }
            Self::Conflict { code, vi, en } => {
                Problem::new(409, code, "Conflict", vi.clone(), en.clone())
            }
            Self::RateLimited { retry_after_secs } => Problem::new(
                429,
                "rate_limited",
                "Too many requests",
                format!("Quá nhiều yêu cầu; vui lòng thử lại sau {retry_after_secs} giây."),
                format!("Too many requests; try again in {retry_after_secs} seconds."),
            ),
            Self::IdempotencyMismatch => {
                let mut p = Problem::new(
                    422,
                    "idempotency_key_reused",
                    "Idempotency key reused",
                    "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.".into(),
                    "This Idempotency-Key was already used with a different request body.".into(),
                );
                p.field = Some("Idempotency-Key".into());
                p
            }
            Self::IdempotencyKeyMissing => {
                let mut p = Problem::new(
                    422,
                    "idempotency_key_required",
                    "Idempotency key required",
                    "Thiếu tiêu đề Idempotency-Key (1–100 ký tự ASCII).".into(),
                    "The Idempotency-Key header (1–100 ASCII characters) is required.".into(),
                );
                p.field = Some("Idempotency-Key".into());
                p
            }
            Self::BadBody(path) => {
                let mut p = Problem::new(
                    422,
                    "invalid_body",
                    "Invalid request body",
                    "Nội dung yêu cầu không đúng định dạng JSON mong đợi.".into(),
                    "The request body is not the JSON expected.".into(),
                );
                if !path.is_empty() && path != "." {
                    p.field = Some(path.clone());
                }
                p
            }
            Self::TooLarge { max_bytes } => Problem::new(
                413,
                "payload_too_large",
                "Payload too large",
                format!(
                    "Nội dung gửi lên quá lớn (tối đa {} MB).",
                    max_bytes / (1024 * 1024)
                ),
                format!(
                    "The request body is too large (at most {} MB).",
                    max_bytes / (1024 * 1024)
                ),
            ),
            Self::Unavailable(_) => Problem::new(
                503,
                "unavailable",
                "Service unavailable",
                "Hệ thống đang bận hoặc mất kết nối cơ sở dữ liệu; vui lòng thử lại.".into(),
                "The service is busy or lost its database; please try again.".into(),
            ),
            Self::BudgetSpent { retry_after_secs } => Problem::new(
                503,
                "upload_budget_spent",
                "Service unavailable",
                format!(
                    "Hệ thống đang nhận quá nhiều ảnh; tin báo chưa được gửi. Vui lòng thử lại sau {} phút, hoặc gửi không kèm ảnh.",
                    retry_after_secs.div_ceil(60)
                ),
                format!(
                    "Too many photos are arriving; the tip was not sent. Please try again in {} minutes, or send it without photos.",
                    retry_after_secs.div_ceil(60)
                ),
            ),
            Self::Internal(_) => Problem::new(
                500,
                "internal_error",
                "Internal error",
                "Đã xảy ra lỗi hệ thống.".into(),
                "Something went wrong on our side.".into(),
            ),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem().status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(cause = %cause, "service unavailable"),
            _ => {}
        }
        problem_response(&self.problem(), self)
    }
}

/// Seconds a client is told to wait after a 503 the server cannot time (`Retry-After`).
pub const UNAVAILABLE_RETRY_SECS: u32 = 5;

fn problem_response(p: &Problem, e: &ApiError) -> HttpResponse {
    let mut b = HttpResponse::build(e.status_code());
    b.content_type(PROBLEM_CONTENT_TYPE);
    if let ApiError::RateLimited { retry_after_secs } | ApiError::BudgetSpent { retry_after_secs } =
        e
    {
        b.insert_header(("Retry-After", retry_after_secs.to_string()));
    }
    if let ApiError::Unavailable(_) = e {
        // The database or the pool is away; a client that waits this long before trying again
        // lets it come back rather than piling on.
        b.insert_header(("Retry-After", UNAVAILABLE_RETRY_SECS.to_string()));
    }
    if let ApiError::Unauthorized(_) = e {
        b.insert_header(("WWW-Authenticate", "Bearer"));
    }
    b.json(p)
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Conflict {
                code: "already_exists",
                vi: "Bản ghi này đã tồn tại.".into(),
                en: "This record already exists.".into(),
            },
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable(e.to_string())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(e: Vec<FieldError>) -> Self {
        Self::Validation(e)
    }
}
