//! Photos sent with tips: the real type is read from the bytes (never from a name or a declared
//! type), and everything but the picture is dropped before storage — EXIF (with GPS position,
//! phone make and model, time), XMP, ICC profiles, comments, text chunks, thumbnails, and data
//! after the end of the image. Structure is kept verbatim, so nothing is re-encoded.
//!
//! Kept, by format: JPEG — SOF/DHT/DQT/DRI/SOS and scan data, a bare JFIF APP0 (thumbnail
//! removed), Adobe APP14 (needed to decode CMYK); PNG — IHDR, PLTE, IDAT, IEND, tRNS, gAMA,
//! cHRM, sRGB, sBIT, bKGD, pHYs and the APNG chunks; WebP — VP8, VP8L, VP8X (metadata flags
//! cleared), ALPH, ANIM, ANMF.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Jpeg,
    Png,
    Webp,
}

impl ImageType {
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Webp => "image/webp",
        }
    }

    pub fn parse_mime(s: &str) -> Option<Self> {
        match s {
            "image/jpeg" => Some(ImageType::Jpeg),
            "image/png" => Some(ImageType::Png),
            "image/webp" => Some(ImageType::Webp),
            _ => None,
        }
    }

    /// The type the bytes say they are.
    pub fn sniff(b: &[u8]) -> Option<Self> {
        if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else if b.starts_with(PNG_SIGNATURE) {
            Some(ImageType::Png)
        } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
            Some(ImageType::Webp)
        } else {
            None
        }
    }
}

/// Why a photo was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("not a JPEG, PNG or WebP image")]
    UnknownType,
    #[error("the image is truncated or malformed")]
    Malformed,
}

/// Checks the bytes are a JPEG, PNG or WebP image and returns them without metadata.
pub fn clean(bytes: &[u8]) -> Result<(ImageType, Vec<u8>), ImageError> {
    let t = ImageType::sniff(bytes).ok_or(ImageError::UnknownType)?;
    let out = match t {
        ImageType::Jpeg => clean_jpeg(bytes),
        ImageType::Png => clean_png(bytes),
        ImageType::Webp => clean_webp(bytes),
    }
    .ok_or(ImageError::Malformed)?;
    Ok((t, out))
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize)
}

fn clean_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    let (mut saw_frame, mut saw_scan) = (false, false);
    loop {
        // A marker: 0xFF, optional fill bytes 0xFF, then its code.
        if *b.get(i)? != 0xFF {
            return None;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let m = *b.get(i)?;
        i += 1;
        match m {
            0xD9 => {
                // End of image; anything after it (trailers, second images) is dropped.
                out.extend_from_slice(&[0xFF, 0xD9]);
                return (saw_frame && saw_scan).then_some(out);
            }
            0xD0..=0xD7 | 0x01 => {
                out.extend_from_slice(&[0xFF, m]);
                continue;
            }
            0x00 | 0xD8 => return None,
            _ => {}
        }
        let len = be16(b, i)?;
        if len < 2 {
            return None;
        }
        let seg = b.get(i..i + len)?;
        let data = &seg[2..];
        match m {
            0xE0 if data.starts_with(b"JFIF\0") && data.len() >= 14 => {
                // JFIF header only, thumbnail dimensions set to 0.
                out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
                out.extend_from_slice(&data[..12]);
                out.extend_from_slice(&[0, 0]);
            }
            0xEE if data.starts_with(b"Adobe") => {
                out.extend_from_slice(&[0xFF, m]);
                out.extend_from_slice(seg);
            }
            // Every other APPn (EXIF, XMP, ICC, maker data, JFXX thumbnails) and comments.
            0xE0..=0xEF | 0xFE => {}
            _ => {
                if matches!(m, 0xC0..=0xCF) && !matches!(m, 0xC4 | 0xC8 | 0xCC) {
                    saw_frame = true;
                }
                out.extend_from_slice(&[0xFF, m]);
                out.extend_from_slice(seg);
            }
        }
        i += len;
        if m == 0xDA {
            saw_scan = true;
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            let start = i;
            loop {
                let at = i + b.get(i..)?.iter().position(|&x| x == 0xFF)?;
                let next = *b.get(at + 1)?;
                if next == 0x00 || (0xD0..=0xD7).contains(&next) || next == 0xFF {
                    i = at + 1;
                    continue;
                }
                out.extend_from_slice(&b[start..at]);
                i = at;
                break;
            }
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn clean_png(b: &[u8]) -> Option<Vec<u8>> {
    const KEEP: &[&[u8; 4]] = &[
        b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD",
        b"pHYs", b"acTL", b"fcTL", b"fdAT",
    ];
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    let mut first = true;
    loop {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind: [u8; 4] = b.get(i + 4..i + 8)?.try_into().ok()?;
        let body = b.get(i + 8..i.checked_add(8 + len)?)?;
        let crc = u32::from_be_bytes(b.get(i + 8 + len..i + 12 + len)?.try_into().ok()?);
        let mut h = crc32fast::Hasher::new();
        h.update(&kind);
        h.update(body);
        if h.finalize() != crc || (first && &kind != b"IHDR") {
            return None;
        }
        first = false;
        if KEEP.contains(&&kind) {
            out.extend_from_slice(&b[i..i + 12 + len]);
        } else if kind[0].is_ascii_uppercase() {
            // An unknown critical chunk: the image cannot be decoded without it.
            return None;
        }
        i += 12 + len;
        if &kind == b"IEND" {
            return Some(out);
        }
    }
}

fn clean_webp(b: &[u8]) -> Option<Vec<u8>> {
    let riff_len = u32::from_le_bytes(b.get(4..8)?.try_into().ok()?) as usize;
    let end = 8usize.checked_add(riff_len)?;
    let body = b.get(12..end)?;
    let mut chunks = Vec::new();
    let mut i = 0;
    let mut has_image = false;
    while i < body.len() {
        let kind: [u8; 4] = body.get(i..i + 4)?.try_into().ok()?;
        let len = u32::from_le_bytes(body.get(i + 4..i + 8)?.try_into().ok()?) as usize;
        let padded = len + (len & 1);
        let data = body.get(i + 8..i + 8 + len)?;
        match &kind {
            b"VP8 " | b"VP8L" | b"ANMF" => {
                has_image = true;
                chunks.push((kind, data.to_vec()));
            }
            b"VP8X" => {
                let mut d = data.to_vec();
                // Flags: clear ICC (0x20), EXIF (0x08) and XMP (0x04); their chunks go.
                *d.first_mut()? &= !(0x20 | 0x08 | 0x04);
                chunks.push((kind, d));
            }
            b"ALPH" | b"ANIM" => chunks.push((kind, data.to_vec())),
            _ => {}
        }
        i += 8 + padded;
    }
    if !has_image {
        return None;
    }
    let mut payload = Vec::with_capacity(body.len());
    payload.extend_from_slice(b"WEBP");
    for (kind, data) in chunks {
        payload.extend_from_slice(&kind);
        payload.extend_from_slice(&u32::try_from(data.len()).ok()?.to_le_bytes());
        payload.extend_from_slice(&data);
        if data.len() & 1 == 1 {
            payload.push(0);
        }
    }
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(payload.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&payload);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let p = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn strips_exif_and_gps_from_every_format() {
        for (name, t) in [
            ("photo-gps.jpg", ImageType::Jpeg),
            ("photo-meta.png", ImageType::Png),
            ("photo-gps.webp", ImageType::Webp),
        ] {
            let raw = fixture(name);
            assert!(
                contains(&raw, b"MARKERPHONEMAKE"),
                "{name} fixture has EXIF"
            );
            let (got, clean) = clean(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(got, t);
            for marker in [
                &b"MARKERPHONE"[..],
                b"MARKERPNGTEXT",
                b"Exif",
                b"eXIf",
                b"EXIF",
            ] {
                assert!(!contains(&clean, marker), "{name} still holds {marker:?}");
            }
            assert!(clean.len() < raw.len());
            // Cleaning is idempotent: a clean image is kept byte for byte.
            assert_eq!(super::clean(&clean).map(|c| c.1), Ok(clean.clone()));
        }
    }

    #[test]
    fn refuses_non_images_and_truncation() {
        assert_eq!(
            clean(b"%PDF-1.7 renamed to photo.jpg"),
            Err(ImageError::UnknownType)
        );
        assert_eq!(clean(b"GIF89a......"), Err(ImageError::UnknownType));
        for name in ["photo-gps.jpg", "photo-meta.png", "photo-gps.webp"] {
            let raw = fixture(name);
            for cut in [raw.len() / 3, raw.len() / 2, raw.len() - 3] {
                assert_eq!(
                    clean(&raw[..cut]),
                    Err(ImageError::Malformed),
                    "{name} cut at {cut}"
                );
            }
        }
        // A PNG chunk with a bad checksum.
        let mut png = fixture("photo-meta.png");
        let n = png.len();
        png[n - 20] ^= 0x55;
        assert!(clean(&png).is_err());
    }

    #[test]
    fn never_panics_on_garbage() {
        let jpg = fixture("photo-gps.jpg");
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut b = jpg.clone();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % b.len();
                b[at] = (seed >> 32) as u8;
            }
            let _ = clean(&b);
        }
    }
}
