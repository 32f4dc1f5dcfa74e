//! QR codes as SVG, for the campaign posters and the receipts.

use crate::infra::error::ApiError;

/// The SVG of a QR code (error correction M) of `text`, at least `size` pixels square.
pub fn svg(text: &str, size: u32) -> Result<String, ApiError> {
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(ApiError::internal)?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(size, size)
        .build())
}
