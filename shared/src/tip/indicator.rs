//! Fraud indicators (dấu hiệu nhận biết đối tượng lừa đảo): the suspect's phone numbers, bank
//! account numbers, links and social-media accounts a reporter gives with a fraud tip — what the
//! national VNeID form "Kiến nghị, phản ánh về ANTT" asks for ("số điện thoại, tài khoản mạng xã
//! hội hoặc đường link có dấu hiệu lừa đảo", Công an tỉnh Điện Biên's guide, cafef.vn
//! 2026-02-23) and what tip lines see most.
//!
//! Each value is normalised here, so the server can match two tips that name the same number
//! typed two ways, and the form can show the reporter the value it will keep. The server seals
//! the value with the tip's content and keeps only a keyed hash of the normalised form for
//! matching; nothing here is stored in the clear.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::TipCategory;
use crate::error::{Errors, ValidationError};
use crate::text::parse_line;

/// At most this many indicators per tip.
pub const MAX_INDICATORS: usize = 10;
/// The typed value, before normalising.
pub const INDICATOR_MAX_CHARS: usize = 300;
/// The optional note beside a value (the bank's name, the platform, the name the account shows).
pub const INDICATOR_NOTE_MAX_CHARS: usize = 100;
/// A cluster lists the tips of a commune only where the commune has at least this many in it;
/// below, the province sees the count alone (issue 17: "counts only where a commune has fewer
/// than 5") and the commune's own officers, who see the shared indicators on each tip, follow
/// them.
pub const CLUSTER_LIST_MIN: i64 = 5;

crate::enums::labelled_enum! {
    /// What an indicator is.
    IndicatorKind {
        /// số điện thoại
        Phone = "phone", "Số điện thoại", "Phone number";
        /// số tài khoản ngân hàng / ví điện tử
        BankAccount = "bank_account", "Số tài khoản ngân hàng", "Bank account number";
        /// đường link, trang web, ứng dụng
        Link = "link", "Đường link, trang web", "Link or website";
        /// tài khoản mạng xã hội (Facebook, Zalo, Telegram, TikTok…)
        Social = "social", "Tài khoản mạng xã hội", "Social-media account";
    }
}

/// One indicator as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IndicatorRequest {
    /// `phone`, `bank_account`, `link` or `social`.
    pub kind: String,
    /// As the reporter has it: `0912 345 678`, `1903 6868 6868`, `https://…`, `fb.com/…`.
    pub value: String,
    /// Optional: the bank, the platform, the name the account shows.
    #[serde(default)]
    pub note: Option<String>,
}

/// A checked indicator: its kind, its normalised value (what is matched) and the note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Indicator {
    pub kind: IndicatorKind,
    /// Normalised: `+84912345678`, `190368686868`, `example.com/path`, `facebook.com/name`.
    pub value: String,
    pub note: Option<String>,
}

impl IndicatorKind {
    /// The one form of a value that two reporters typing it differently both reach.
    pub fn normalise(self, raw: &str) -> Result<String, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::Required);
        }
        if s.chars().count() > INDICATOR_MAX_CHARS {
            return Err(ValidationError::TooLong {
                max: INDICATOR_MAX_CHARS,
            });
        }
        let bad = || ValidationError::IndicatorFormat {
            kind: self.as_str(),
        };
        match self {
            IndicatorKind::Phone => phone(s).ok_or_else(bad),
            IndicatorKind::BankAccount => bank_account(s).ok_or_else(bad),
            IndicatorKind::Link => link(s).ok_or_else(bad),
            IndicatorKind::Social => social(s).ok_or_else(bad),
        }
    }
}

/// Any telephone number a suspect may call from: Vietnamese mobiles and landlines (`0…`, `84…`,
/// `+84…` → `+84…`), service numbers (`1800…`, `1900…`, kept as dialled) and foreign numbers
/// (`+…` or `00…` → `+…`, 7–15 digits as E.164 allows).
fn phone(s: &str) -> Option<String> {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '/'))
        .collect();
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let international = cleaned
        .strip_prefix('+')
        .or_else(|| cleaned.strip_prefix("00"));
    if let Some(rest) = international {
        if !digits(rest) {
            return None;
        }
        // `+84 0912…`: the trunk 0 some people keep after the country code.
        if let Some(national) = rest.strip_prefix("84") {
            return vietnamese(national.strip_prefix('0').unwrap_or(national));
        }
        return (7..=15).contains(&rest.len()).then(|| format!("+{rest}"));
    }
    if !digits(&cleaned) {
        return None;
    }
    if let Some(national) = cleaned.strip_prefix('0') {
        return vietnamese(national);
    }
    if (cleaned.starts_with("1800") || cleaned.starts_with("1900"))
        && matches!(cleaned.len(), 8 | 10)
    {
        return Some(cleaned);
    }
    // `84912345678`: a Vietnamese number written with its country code and no `+`.
    cleaned
        .strip_prefix("84")
        .filter(|n| n.len() >= 9)
        .and_then(vietnamese)
}

/// A national significant number: 9 digits (mobiles) or 10 (landlines, `2…`).
fn vietnamese(national: &str) -> Option<String> {
    let ok = match national.len() {
        9 => matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9'),
        10 => national.starts_with('2'),
        _ => false,
    };
    ok.then(|| format!("+84{national}"))
}

/// A bank account or e-wallet number: its digits and letters, upper case (some banks issue
/// accounts named by a phone number or a nickname), 6–24 of them; spaces, dots and dashes are
/// how people group them, not part of the number.
fn bank_account(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            ' ' | '.' | '-' => {}
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_uppercase()),
            _ => return None,
        }
    }
    (6..=24).contains(&out.len()).then_some(out)
}

/// A link: host (lower case, `www.` and `m.` dropped) and path (trailing `/` dropped); the scheme,
/// the query (tracking parameters) and the fragment are not part of what is matched.
fn link(s: &str) -> Option<String> {
    let (host, path) = host_and_path(s)?;
    Some(if path.is_empty() {
        host
    } else {
        format!("{host}/{path}")
    })
}

/// Host and path of something typed as a web address, or `None` if it is not one.
fn host_and_path(s: &str) -> Option<(String, String)> {
    if s.chars().any(char::is_whitespace) {
        return None;
    }
    let lower = s.to_lowercase();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|r| s.len() - r.len()))
        .map_or(s, |n| &s[n..]);
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let rest = &rest[..end];
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_lowercase();
    let host = host.rsplit_once('@').map_or(host.as_str(), |(_, h)| h);
    let host = host.strip_suffix(".").unwrap_or(host);
    let host = ["www.", "m.", "mobile.", "web."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(host);
    let host = host.split_once(':').map_or(host, |(h, _)| h);
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) {
        return None;
    }
    let tld = labels[labels.len() - 1];
    if tld.chars().all(|c| c.is_ascii_digit()) && labels.len() != 4 {
        return None;
    }
    let path = path.trim_end_matches('/').to_string();
    Some((host.to_string(), path))
}

/// Platforms whose profile addresses name the same account several ways.
const PLATFORM_HOSTS: [(&str, &str); 6] = [
    ("fb.com", "facebook.com"),
    ("fb.me", "facebook.com"),
    ("facebook.com", "facebook.com"),
    ("t.me", "telegram"),
    ("telegram.me", "telegram"),
    ("zalo.me", "zalo"),
];

/// A social-media account: a profile address (`facebook.com/name`, `t.me/name`, `zalo.me/…`,
/// `tiktok.com/@name`) or a bare handle (`@name`); lower case, since the platforms treat names
/// without regard to case. A Zalo account named by its phone number matches that number's form.
fn social(s: &str) -> Option<String> {
    let looks_like_address = s.contains('/') || s.to_lowercase().contains(".com");
    if looks_like_address && let Some((host, path)) = host_and_path(s) {
        let path = path.to_lowercase();
        let host = PLATFORM_HOSTS
            .iter()
            .find(|(h, _)| *h == host)
            .map_or(host.as_str(), |(_, p)| p);
        if path.is_empty() {
            return None;
        }
        if host == "zalo" {
            return phone(&path).map(|p| format!("zalo:{p}"));
        }
        return Some(if host.contains('.') {
            format!("{host}/{path}")
        } else {
            format!("{host}:{path}")
        });
    }
    let handle = s.strip_prefix('@').unwrap_or(s).to_lowercase();
    let ok = (2..=100).contains(&handle.chars().count())
        && handle
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    ok.then(|| format!("@{handle}"))
}

/// Checks a tip's indicators: only with the fraud category, at most [`MAX_INDICATORS`], each
/// normalised; the same value twice is kept once. Errors name `indicators.i.value` and so on.
pub fn parse_indicators(
    category: Option<TipCategory>,
    raw: &[IndicatorRequest],
    e: &mut Errors,
) -> Vec<Indicator> {
    if raw.is_empty() {
        return Vec::new();
    }
    if category.is_some_and(|c| c != TipCategory::Fraud) {
        e.push(ValidationError::FraudOnly.on("indicators"));
        return Vec::new();
    }
    if raw.len() > MAX_INDICATORS {
        e.push(
            ValidationError::TooMany {
                max: MAX_INDICATORS,
            }
            .on("indicators"),
        );
        return Vec::new();
    }
    let mut out: Vec<Indicator> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let field = |f: &str| format!("indicators.{i}.{f}");
        let Some(kind) = e.check(&field("kind"), IndicatorKind::parse(r.kind.trim())) else {
            continue;
        };
        let value = e.check(&field("value"), kind.normalise(&r.value));
        let note = crate::api::optional(e, &field("note"), r.note.as_deref(), |s| {
            parse_line(s, INDICATOR_NOTE_MAX_CHARS)
        });
        if let Some(value) = value
            && !out.iter().any(|o| o.kind == kind && o.value == value)
        {
            out.push(Indicator { kind, value, note });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// What officers see
// ---------------------------------------------------------------------------------------------

/// Another tip in the caller's scope that names one of this tip's indicators. The other tip's
/// content is not here: opening it is its own (audited) read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SharedIndicator {
    /// Which of this tip's indicators it shares (kind and normalised value).
    pub kind: IndicatorKind,
    pub value: String,
    pub tip_id: String,
    pub commune_code: String,
    pub commune_name: String,
    pub received_on: chrono::NaiveDate,
    pub status: crate::TipStatus,
}

/// One commune's part of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClusterCommune {
    pub commune_code: String,
    pub commune_name: String,
    pub tips: i64,
    /// The tips, listed only where the commune has at least [`CLUSTER_LIST_MIN`]; else empty.
    pub tip_ids: Vec<String>,
}

/// Tips of several communes that name the same indicator. The value itself is not shown (it is
/// content, and the province reads content tip by tip, audited); the cluster's id is the keyed
/// hash's first characters, stable while the tip key is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IndicatorCluster {
    pub id: String,
    pub kind: IndicatorKind,
    pub tips: i64,
    pub first_received_on: chrono::NaiveDate,
    pub last_received_on: chrono::NaiveDate,
    /// Most tips first.
    pub communes: Vec<ClusterCommune>,
}

/// `GET /api/v1/tips/indicator-clusters`: clusters spanning two or more communes of the unit,
/// most communes first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IndicatorClusters {
    pub unit_code: String,
    pub list_min: i64,
    pub items: Vec<IndicatorCluster>,
}

/// Sorts and trims one cluster's communes: most tips first, tip ids only where a commune has at
/// least [`CLUSTER_LIST_MIN`].
pub fn cluster_communes(mut communes: Vec<ClusterCommune>) -> Vec<ClusterCommune> {
    communes.sort_by(|a, b| {
        b.tips
            .cmp(&a.tips)
            .then_with(|| a.commune_code.cmp(&b.commune_code))
    });
    for c in &mut communes {
        if c.tips < CLUSTER_LIST_MIN {
            c.tip_ids.clear();
        }
    }
    communes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(kind: IndicatorKind, raw: &str) -> Result<String, ValidationError> {
        kind.normalise(raw)
    }

    #[test]
    fn phones_typed_differently_meet() {
        use IndicatorKind::Phone;
        let cases = [
            ("0912 345 678", "+84912345678"),
            ("+84 912.345.678", "+84912345678"),
            ("84912345678", "+84912345678"),
            ("+84 0912345678", "+84912345678"),
            ("0084912345678", "+84912345678"),
            // A Hà Nội landline (10 national digits, starting with 2).
            ("024 3826 9999", "+842438269999"),
            ("1900 6868", "19006868"),
            ("1800-5888-99", "1800588899"),
            // A Cambodian number: foreign numbers keep their country code.
            ("+855 12 345 678", "+85512345678"),
            ("00855 12 345 678", "+85512345678"),
        ];
        for (raw, want) in cases {
            assert_eq!(norm(Phone, raw).as_deref(), Ok(want), "{raw}");
        }
        for bad in [
            "12345",
            "0123456789",
            "+1",
            "09123456789",
            "abc",
            "0912x45678",
        ] {
            assert_eq!(
                norm(Phone, bad),
                Err(ValidationError::IndicatorFormat { kind: "phone" }),
                "{bad}"
            );
        }
    }

    #[test]
    fn bank_accounts_drop_their_grouping() {
        use IndicatorKind::BankAccount;
        assert_eq!(
            norm(BankAccount, "1903 6868 6868").as_deref(),
            Ok("190368686868")
        );
        assert_eq!(
            norm(BankAccount, "0071-0001.23456").as_deref(),
            Ok("0071000123456")
        );
        assert_eq!(norm(BankAccount, "vanan88").as_deref(), Ok("VANAN88"));
        for bad in ["12345", "1234567890123456789012345", "12/34/5678"] {
            assert!(norm(BankAccount, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_meet_without_scheme_query_or_www() {
        use IndicatorKind::Link;
        for raw in [
            "https://www.Nhan-Qua-VNeID.com/dang-ky/?utm_source=sms#top",
            "http://nhan-qua-vneid.com/dang-ky",
            "nhan-qua-vneid.com/dang-ky/",
        ] {
            assert_eq!(
                norm(Link, raw).as_deref(),
                Ok("nhan-qua-vneid.com/dang-ky"),
                "{raw}"
            );
        }
        // The path keeps its case (short links are case-sensitive).
        assert_eq!(norm(Link, "bit.ly/AbC9").as_deref(), Ok("bit.ly/AbC9"));
        assert_eq!(
            norm(Link, "dichvucong-gov.vn").as_deref(),
            Ok("dichvucong-gov.vn")
        );
        for bad in ["not a link", "localhost/x", "http://", "ab..cd/x"] {
            assert!(norm(Link, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn social_accounts_meet_across_addresses() {
        use IndicatorKind::Social;
        for raw in [
            "https://www.facebook.com/Nguyen.Van.A/",
            "m.facebook.com/nguyen.van.a?ref=x",
            "fb.com/nguyen.van.a",
        ] {
            assert_eq!(
                norm(Social, raw).as_deref(),
                Ok("facebook.com/nguyen.van.a"),
                "{raw}"
            );
        }
        assert_eq!(
            norm(Social, "https://t.me/HoTroVNeID").as_deref(),
            Ok("telegram:hotrovneid")
        );
        assert_eq!(
            norm(Social, "zalo.me/0912345678").as_deref(),
            Ok("zalo:+84912345678")
        );
        assert_eq!(
            norm(Social, "tiktok.com/@Shop.Gia.Re").as_deref(),
            Ok("tiktok.com/@shop.gia.re")
        );
        assert_eq!(
            norm(Social, "@HoTro_CongAn").as_deref(),
            Ok("@hotro_congan")
        );
        for bad in ["a", "two words", "facebook.com/"] {
            assert!(norm(Social, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_fraud_tips_carry_indicators() {
        let one = |kind: &str, value: &str| IndicatorRequest {
            kind: kind.into(),
            value: value.into(),
            note: None,
        };
        let mut e = Errors::new();
        let got = parse_indicators(
            Some(TipCategory::Drugs),
            &[one("phone", "0912345678")],
            &mut e,
        );
        assert!(got.is_empty());
        let errs = e.into_vec();
        assert_eq!(errs, vec![ValidationError::FraudOnly.on("indicators")]);

        let mut e = Errors::new();
        let got = parse_indicators(
            Some(TipCategory::Fraud),
            &[
                one("phone", "0912 345 678"),
                one("phone", "+84912345678"),
                one("bank_account", "12"),
                one("email", "x@y.z"),
            ],
            &mut e,
        );
        assert_eq!(got.len(), 1, "the same number twice is kept once");
        let errs = e.into_vec();
        let fields: Vec<&str> = errs.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["indicators.2.value", "indicators.3.kind"]);

        let mut e = Errors::new();
        let many = vec![one("phone", "0912345678"); MAX_INDICATORS + 1];
        parse_indicators(Some(TipCategory::Fraud), &many, &mut e);
        assert!(e.into_result().is_err());
    }

    #[test]
    fn small_communes_of_a_cluster_show_a_count_only() {
        let c = |code: &str, n: i64| ClusterCommune {
            commune_code: code.into(),
            commune_name: code.into(),
            tips: n,
            tip_ids: (0..n).map(|i| format!("{code}-{i}")).collect(),
        };
        let got = cluster_communes(vec![c("26734", 4), c("26881", 5), c("27001", 1)]);
        let view: Vec<(&str, i64, usize)> = got
            .iter()
            .map(|c| (c.commune_code.as_str(), c.tips, c.tip_ids.len()))
            .collect();
        // "counts only where a commune has fewer than 5" (issue 17).
        assert_eq!(view, [("26881", 5, 5), ("26734", 4, 0), ("27001", 1, 0)]);
    }
}
