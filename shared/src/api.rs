//! Request and response bodies of the HTTP API, shared by the server and the browser.
//!
//! Requests carry plain strings; each has a `parse` that turns it into checked domain values or
//! the full list of field errors, so server and browser reject the same input the same way.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::citizen_id::CitizenId;
use crate::enums::{Role, UnitKind};
use crate::error::{Errors, FieldError, ValidationError};
use crate::person_name::PersonName;
use crate::phone::PhoneNumber;
use crate::text::squash_spaces;
use crate::unit_code::UnitCode;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A unit of the tree as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnitDto {
    pub code: String,
    pub kind: UnitKind,
    /// Short name, e.g. "Ba Đình".
    pub name: String,
    /// Name with its administrative prefix, e.g. "Phường Ba Đình".
    pub full_name: String,
    /// Folded name without diacritics, e.g. "ba dinh".
    pub name_ascii: String,
    pub parent_code: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// The unit that took over this one after a merger.
    pub replaced_by: Option<String>,
    /// Whether the unit exists today (no `valid_to` in the past).
    pub current: bool,
    /// The name of the province the unit lies in, given by a search (`q`) for a unit below a
    /// province: two communes of the country may share a name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
}

/// A unit with its place in the tree and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnitDetail {
    #[serde(flatten)]
    pub unit: UnitDto,
    /// From the root down to the parent.
    pub ancestors: Vec<UnitDto>,
    /// Units merged into this one.
    pub predecessors: Vec<UnitDto>,
    /// Successor chain, when the unit no longer exists (e.g. 58 → 56).
    pub successors: Vec<UnitDto>,
    pub children_count: i64,
}

/// One page of a cursor-paginated list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UnitPage {
    pub items: Vec<UnitDto>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/units`: a unit the platform creates (residential area, school, class, agency,
/// enterprise, department) under a parent in the caller's scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateUnitRequest {
    pub parent_code: String,
    pub kind: String,
    pub name: String,
    /// Optional; defaults to the name with the kind's prefix.
    #[serde(default)]
    pub full_name: Option<String>,
    /// An agency, enterprise or school outside Thông tư 124 (art. 1.2.b: `armed_forces`,
    /// `small_enterprise`, `primary_or_preschool`), said when it is added; recorded with it in
    /// one transaction.
    #[serde(default)]
    pub exclusion: Option<String>,
}

pub const UNIT_NAME_MAX: usize = 200;

/// A checked [`CreateUnitRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewUnit {
    pub parent: UnitCode,
    pub kind: UnitKind,
    pub name: String,
    pub full_name: String,
    pub exclusion: Option<crate::registration::Exclusion>,
}

/// A unit name: NFC, single spaces, 1–200 characters, no control characters.
pub fn parse_unit_name(raw: &str) -> Result<String, ValidationError> {
    let s = squash_spaces(raw);
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    if !crate::unicode::is_nfc(&s) {
        return Err(ValidationError::NotNfc);
    }
    if s.chars().count() > UNIT_NAME_MAX {
        return Err(ValidationError::TooLong { max: UNIT_NAME_MAX });
    }
    if let Some(ch) = s.chars().find(|c| c.is_control() || matches!(c, '<' | '>')) {
        return Err(ValidationError::InvalidCharacter { ch });
    }
    Ok(s)
}

impl CreateUnitRequest {
    pub fn parse(&self) -> Result<NewUnit, Vec<FieldError>> {
        let mut e = Errors::new();
        let parent = e.check("parent_code", UnitCode::parse(&self.parent_code));
        let kind = e.check("kind", UnitKind::parse(&self.kind));
        if let Some(k) = kind
            && k.is_administrative()
        {
            e.push(ValidationError::UnitKindNotAllowed.on("kind"));
        }
        let name = e.check("name", parse_unit_name(&self.name));
        let full_name = match &self.full_name {
            Some(f) if !f.trim().is_empty() => e.check("full_name", parse_unit_name(f)),
            _ => None,
        };
        let exclusion = optional(
            &mut e,
            "exclusion",
            self.exclusion.as_deref(),
            crate::registration::Exclusion::parse,
        );
        if let (Some(k), Some(x)) = (kind, exclusion)
            && !crate::registration::exclusion_fits(k, x)
        {
            e.push(ValidationError::OutsideTt124.on("exclusion"));
        }
        match (parent, kind, name) {
            (Some(parent), Some(kind), Some(name)) if e.is_empty() => {
                let full_name = full_name.unwrap_or_else(|| name.clone());
                Ok(NewUnit {
                    parent,
                    kind,
                    name,
                    full_name,
                    exclusion,
                })
            }
            _ => Err(e.into_vec()),
        }
    }
}

/// `POST /api/v1/auth/login`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `POST /api/v1/auth/refresh` and `/auth/logout`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// The answer to a login or a refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Opaque; single use: every refresh returns a new one.
    pub refresh_token: String,
    pub refresh_expires_in: i64,
    pub user: Me,
}

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub id: String,
    pub username: Option<String>,
    pub role: Role,
    pub scope_unit: String,
    /// `local` for accounts of this server, else the external issuer.
    pub issuer: String,
}

/// `POST /api/v1/users`: an account for an officer or an administrator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateUserRequest {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub scope_unit: String,
    /// Work mobile number (optional).
    #[serde(default)]
    pub phone: Option<String>,
    /// CCCD (optional): lets a token from the national identity provider, whose subject is the
    /// CCCD, map onto this account. Stored only as a keyed hash and its last 4 digits.
    #[serde(default)]
    pub citizen_id: Option<String>,
}

/// `PUT /api/v1/users/{id}/active`: lock an account (an officer transferred or gone) or unlock it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AccountActive {
    pub active: bool,
}

/// `PUT /api/v1/users/{id}/password`: a new password set by whoever manages the account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

impl PasswordReset {
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        parse_password(&self.password).map_err(|e| vec![e.on("password")])
    }
}

/// `POST /api/v1/auth/password`: an officer changes their own password (the current one
/// required).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

impl PasswordChange {
    /// The new password, checked; the current one only for presence (the server verifies it).
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        let mut e = Errors::new();
        if self.current_password.is_empty() {
            e.push(ValidationError::Required.on("current_password"));
        }
        let new = e.check("new_password", parse_password(&self.new_password));
        if new.is_some() && self.new_password == self.current_password {
            e.push(ValidationError::PasswordUnchanged.on("new_password"));
        }
        e.into_result()?;
        new.ok_or_else(|| vec![ValidationError::Required.on("new_password")])
    }
}

pub const PASSWORD_MIN: usize = 10;

/// A checked [`CreateUserRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub display_name: PersonName,
    pub password: String,
    pub role: Role,
    pub scope_unit: UnitCode,
    pub phone: Option<PhoneNumber>,
    pub citizen_id: Option<CitizenId>,
}

/// Usernames: 3–64 characters of `a-z 0-9 . _ -`.
pub fn parse_username(raw: &str) -> Result<String, ValidationError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    let ok = (3..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(s.to_string())
    } else {
        Err(ValidationError::UsernameFormat)
    }
}

pub fn parse_password(raw: &str) -> Result<String, ValidationError> {
    if raw.is_empty() {
        return Err(ValidationError::Required);
    }
    if raw.chars().count() < PASSWORD_MIN {
        return Err(ValidationError::PasswordTooWeak { min: PASSWORD_MIN });
    }
    if raw.chars().count() > 256 {
        return Err(ValidationError::TooLong { max: 256 });
    }
    Ok(raw.to_string())
}

impl CreateUserRequest {
    pub fn parse(&self) -> Result<NewUser, Vec<FieldError>> {
        let mut e = Errors::new();
        let username = e.check("username", parse_username(&self.username));
        let display_name = e.check("display_name", PersonName::parse(&self.display_name));
        let password = e.check("password", parse_password(&self.password));
        let role = e.check("role", Role::parse(&self.role));
        let scope_unit = e.check("scope_unit", UnitCode::parse(&self.scope_unit));
        let phone = optional(&mut e, "phone", self.phone.as_deref(), PhoneNumber::parse);
        let citizen_id = optional(
            &mut e,
            "citizen_id",
            self.citizen_id.as_deref(),
            CitizenId::parse,
        );
        match (username, display_name, password, role, scope_unit) {
            (Some(username), Some(display_name), Some(password), Some(role), Some(scope_unit))
                if e.is_empty() =>
            {
                Ok(NewUser {
                    username,
                    display_name,
                    password,
                    role,
                    scope_unit,
                    phone,
                    citizen_id,
                })
            }
            _ => Err(e.into_vec()),
        }
    }
}

/// `n ÷ d × 100` to one decimal; `None` when `d` is 0.
pub fn percent(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| (n as f64 * 1000.0 / d as f64).round() / 10.0)
}

/// Parses an optional field: absent or blank is `None`, anything else must parse.
pub fn optional<T>(
    e: &mut Errors,
    field: &str,
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, ValidationError>,
) -> Option<T> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => e.check(field, parse(s)),
    }
}

/// An account as listed to officers (no hash, no secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserDto {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope_unit: String,
    pub active: bool,
    /// Last 4 digits of the linked CCCD, if any.
    pub citizen_id_last4: Option<String>,
    #[serde(with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserPage {
    pub items: Vec<UserDto>,
    pub next_cursor: Option<String>,
}

/// `GET /healthz` and `/readyz`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_unit_collects_every_error() {
        let r = CreateUnitRequest {
            parent_code: "x".into(),
            kind: "commune".into(),
            name: "".into(),
            full_name: None,
            exclusion: Some("tiny".into()),
        };
        let errs = r.parse().err().unwrap();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["parent_code", "kind", "name", "exclusion"]);
    }

    #[test]
    fn create_unit_takes_only_a_reason_that_fits_its_kind() {
        // TT 124 art. 1.2.b: "cơ sở giáo dục (trừ cơ sở giáo dục tiểu học, mầm non, nhà trẻ)".
        let school = |exclusion: &str| CreateUnitRequest {
            parent_code: "22759".into(),
            kind: "school".into(),
            name: "Trường Tiểu học Phan Rang".into(),
            full_name: None,
            exclusion: Some(exclusion.into()),
        };
        let u = school("primary_or_preschool")
            .parse()
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            u.exclusion,
            Some(crate::registration::Exclusion::PrimaryOrPreschool)
        );
        assert_eq!(school(" ").parse().map(|u| u.exclusion), Ok(None));
        let errs = school("small_enterprise").parse().err().unwrap();
        assert_eq!(errs[0].field, "exclusion");
        assert_eq!(errs[0].error, ValidationError::OutsideTt124);
    }

    #[test]
    fn create_unit_defaults_full_name() {
        let r = CreateUnitRequest {
            parent_code: "22333".into(),
            kind: "residential_area".into(),
            name: " Thôn  Đông ".into(),
            full_name: None,
            exclusion: None,
        };
        let u = r.parse().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(u.name, "Thôn Đông");
        assert_eq!(u.full_name, "Thôn Đông");
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(parse_username("ward.officer-1").is_ok());
        assert_eq!(
            parse_username("Admin"),
            Err(ValidationError::UsernameFormat)
        );
        assert_eq!(parse_username("ab"), Err(ValidationError::UsernameFormat));
        assert_eq!(
            parse_password("short"),
            Err(ValidationError::PasswordTooWeak { min: PASSWORD_MIN })
        );
    }
}
