//! The QR code on each leaflet: an inline SVG made at build time, pointing at the
//! group's page, so a resident with a phone camera gets the always-current details.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code for `url`, sized by CSS (no width or height of its own), or `None`
/// if the text is too long for a QR code.
///
/// Level M survives a smudged or creased leaflet better than L while keeping the
/// modules large enough to print on a cheap printer.
pub fn svg(url: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // The renderer writes a standalone document; inline SVG in HTML needs neither the
    // XML declaration nor fixed pixel sizes.
    let start = image.find("<svg")?;
    let mut out = image[start..].to_string();
    let open_end = out.find('>')?;
    let open = out[..open_end]
        .split(' ')
        .filter(|attr| !attr.starts_with("width=") && !attr.starts_with("height="))
        .collect::<Vec<_>>()
        .join(" ");
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    out.replace_range(
        ..open_end,
        &format!(r#"{open} class="qr" role="img" aria-label="{label}""#),
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_an_inline_svg_without_fixed_size() {
        let s = super::svg("https://example.org/groups/nr2/", "QR code").unwrap();
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(s.contains("class=\"qr\"") && s.contains("viewBox=\"0 0 "));
        assert!(!s.contains(" width=\"") || s.contains("<rect x=\"0\" y=\"0\" width="));
        assert!(!s[..s.find('>').unwrap()].contains("height="));
        assert!(s.ends_with("</svg>"));
    }
}
