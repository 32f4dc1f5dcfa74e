//! Times on the wire: RFC 3339 with an explicit offset, to the millisecond. An instant (when a tip
//! arrived, when a pledge was signed) is written in UTC (`2026-12-02T00:45:46.626Z`); a time that
//! a person gave in Vietnam time (when an incident happened) keeps its offset
//! (`2026-11-30T21:00:00.000+07:00`). Legal dates are plain `YYYY-MM-DD` (`NaiveDate`). In memory
//! both are `NaiveDateTime`: UTC for instants, Vietnam time for the others.
//!
//! Used as `#[serde(with = "crate::time::utc")]` (or `utc_opt`, `vn_opt`) on a field; reading
//! accepts any RFC 3339 offset and converts it.

use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serializer};

use crate::tip::VN_OFFSET_HOURS;

/// Vietnam's offset from UTC, in seconds (UTC+7, no daylight saving).
const VN_SECONDS: i32 = VN_OFFSET_HOURS as i32 * 3600;

fn vn() -> FixedOffset {
    // 7 hours east is within ±24 h: always a valid offset.
    match FixedOffset::east_opt(VN_SECONDS) {
        Some(o) => o,
        None => unreachable!("UTC+7 is a valid offset"),
    }
}

/// `t` (UTC) as RFC 3339 with `Z`, to the millisecond.
pub fn format_utc(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `t` (Vietnam time) as RFC 3339 with `+07:00`, to the millisecond.
pub fn format_vn(t: NaiveDateTime) -> String {
    (t - TimeDelta::seconds(i64::from(VN_SECONDS)))
        .and_utc()
        .with_timezone(&vn())
        .to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// An RFC 3339 time with any offset, as UTC.
pub fn parse_utc(s: &str) -> Result<NaiveDateTime, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc).naive_utc())
}

/// An RFC 3339 time with any offset, as Vietnam time.
pub fn parse_vn(s: &str) -> Result<NaiveDateTime, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&vn()).naive_local())
}

/// An instant, in UTC.
pub mod utc {
    use super::*;

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_utc(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let raw = String::deserialize(d)?;
        parse_utc(&raw).map_err(serde::de::Error::custom)
    }
}

/// A legal date, `YYYY-MM-DD` both ways, read by the same strict reader as a form's date
/// (`pledge::iso_date`), not by chrono's general one: what the public form reads then leaves
/// chrono's parser out of the browser's download (about 6 kB).
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let raw = String::deserialize(d)?;
        crate::pledge::iso_date(&raw)
            .ok_or_else(|| serde::de::Error::custom(format_args!("not a date YYYY-MM-DD: {raw:?}")))
    }
}

fn serialize_opt<S: Serializer>(
    t: &Option<NaiveDateTime>,
    s: S,
    format: fn(NaiveDateTime) -> String,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_some(&format(*t)),
        None => s.serialize_none(),
    }
}

fn deserialize_opt<'de, D: Deserializer<'de>>(
    d: D,
    parse: fn(&str) -> Result<NaiveDateTime, chrono::ParseError>,
) -> Result<Option<NaiveDateTime>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|raw| parse(&raw).map_err(serde::de::Error::custom))
        .transpose()
}

/// A time a person gave, in Vietnam time (written with `+07:00`, read from any offset).
pub mod vn {
    use super::*;

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_vn(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let raw = String::deserialize(d)?;
        parse_vn(&raw).map_err(serde::de::Error::custom)
    }
}

/// An instant that may be absent.
pub mod utc_opt {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        serialize_opt(t, s, format_utc)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        deserialize_opt(d, parse_utc)
    }
}

/// A Vietnam time that may be absent.
pub mod vn_opt {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        serialize_opt(t, s, format_vn)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        deserialize_opt(d, parse_vn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(h: u32, m: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_milli_opt(h, m, s, ms)
            .unwrap()
    }

    #[test]
    fn instants_carry_z_and_milliseconds_only() {
        let nanos = NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_nano_opt(0, 45, 46, 626_234_541)
            .unwrap();
        assert_eq!(format_utc(nanos), "2026-12-02T00:45:46.626Z");
        assert_eq!(format_utc(t(0, 0, 0, 0)), "2026-12-02T00:00:00.000Z");
    }

    #[test]
    fn vietnam_times_carry_their_offset() {
        assert_eq!(format_vn(t(21, 0, 0, 0)), "2026-12-02T21:00:00.000+07:00");
        assert_eq!(
            parse_vn("2026-12-02T21:00:00.000+07:00").unwrap(),
            t(21, 0, 0, 0)
        );
        // The same instant given in UTC reads as the same Vietnam time.
        assert_eq!(parse_vn("2026-12-02T14:00:00Z").unwrap(), t(21, 0, 0, 0));
    }

    #[test]
    fn any_offset_reads_as_the_same_instant() {
        let want = t(0, 45, 46, 626);
        for raw in [
            "2026-12-02T00:45:46.626Z",
            "2026-12-02T07:45:46.626+07:00",
            "2026-12-01T19:45:46.626-05:00",
        ] {
            assert_eq!(parse_utc(raw).unwrap(), want, "{raw}");
        }
        // No offset is no RFC 3339 time.
        assert!(parse_utc("2026-12-02T00:45:46.626").is_err());
    }

    #[test]
    fn legal_dates_are_written_as_chrono_writes_them_and_read_strictly() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct D(#[serde(with = "super::date")] NaiveDate);
        let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        // The same text chrono's own serde writes, so the wire does not change.
        assert_eq!(
            serde_json::to_string(&D(day)).unwrap(),
            serde_json::to_string(&day).unwrap()
        );
        assert_eq!(serde_json::to_string(&D(day)).unwrap(), "\"2026-01-05\"");
        assert_eq!(serde_json::from_str::<D>("\"2026-01-05\"").unwrap(), D(day));
        for bad in [
            "\"2026-02-30\"",
            "\"2026-1-5x\"",
            "\"26-01-05\"",
            "\"2026-01-05T00:00\"",
            "20260105",
        ] {
            assert!(serde_json::from_str::<D>(bad).is_err(), "{bad}");
        }
    }
}
