//! The QR code on each leaflet: an inline SVG made at build time, pointing at the
//! group's page, so a resident with a phone camera gets the always-current details.

use qrcodegen::QrCodeEcc;

/// Light modules around the code, as the standard asks, so a scanner finds its edges.
const QUIET_ZONE: usize = 4;

/// An SVG QR code for `url`, sized by CSS (no width or height of its own), or `None`
/// if the text is too long for a QR code.
///
/// Level M at least survives a smudged or creased leaflet better than L while keeping
/// the modules large enough to print on a cheap printer; when Q or H fits in the same
/// size, the code gets it for nothing.
///
/// The `qrcodegen` crate encodes the data and [`super::qr_mask`] chooses the mask, as
/// the standard says (`fast_qr` before it spent a quarter of a 5,000-group build on
/// that; the `qrcode` crate five times as long). The SVG is written here because a
/// code is on every leaflet page and a renderer that draws each dark module as its
/// own square spends 8.6 KB on a group's address: each run of dark modules in a row
/// is one horizontal stroke one module thick, along the middle of its row, which
/// draws the same picture in about a quarter of the bytes (a filled rectangle a run
/// took 40% more than the stroke).
pub fn svg(url: &str, label: &str) -> Option<String> {
    let (width, colors) = modules(url)?;
    let size = width + 2 * QUIET_ZONE;
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" class="qr" role="img" aria-label="{label}"><rect x="0" y="0" width="{size}" height="{size}" fill="#fff"/><path stroke="#000" stroke-width="1" d=""##
    );
    // Each run: a move from where the last run ended (the first is absolute, to the
    // middle of its row), then the stroke. Rows' middles are at half a module. Numbers
    // go through `itoa`: `write!` for each was a sixth of the time a code took.
    let mut num = itoa::Buffer::new();
    let mut pen: Option<(i64, i64)> = None;
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] {
                let run = row[x..].iter().take_while(|&&dark| dark).count();
                let (ax, ay) = ((x + QUIET_ZONE) as i64, (y + QUIET_ZONE) as i64);
                match pen {
                    None => {
                        out.push('M');
                        out.push_str(num.format(ax));
                        out.push(' ');
                        out.push_str(num.format(ay));
                        out.push_str(".5");
                    }
                    Some((px, py)) => {
                        out.push('m');
                        out.push_str(num.format(ax - px));
                        out.push(' ');
                        out.push_str(num.format(ay - py));
                    }
                }
                out.push('h');
                out.push_str(num.format(run));
                pen = Some((ax + run as i64, ay));
                x += run;
            } else {
                x += 1;
            }
        }
    }
    out.push_str(r#""/></svg>"#);
    Some(out)
}

/// The code's width in modules and its modules row by row, `true` for dark, or `None`
/// if `url` is too long.
fn modules(url: &str) -> Option<(usize, Vec<bool>)> {
    super::qr_mask::encode(url, QrCodeEcc::Medium)
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

    /// The picture is the crate's own: every module dark exactly where the crate says.
    #[test]
    fn draws_every_dark_module_and_no_other() {
        let url = "https://example.org/groups/birmingham-helpers-1221/";
        let s = super::svg(url, "QR").unwrap();
        let (width, modules) = super::modules(url).unwrap();
        let d = &s[s.find(" d=\"").unwrap() + 4..s.rfind('"').unwrap()];
        let mut drawn = vec![false; width * width];
        // M{x} {y}.5h{n} first, then m{dx} {dy}h{n}, each from the last run's end.
        let (mut px, mut py) = (0i64, 0i64);
        let q = super::QUIET_ZONE as i64;
        assert!(d.starts_with('M') && !d[1..].contains('M'));
        for (i, run) in d[1..].split('m').enumerate() {
            let absolute = i == 0;
            let (xy, n) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (i64, i64) = (
                x.parse().unwrap(),
                y.trim_end_matches(".5").parse().unwrap(),
            );
            let n: i64 = n.parse().unwrap();
            (px, py) = if absolute { (x, y) } else { (px + x, py + y) };
            for k in 0..n {
                drawn[((py - q) * width as i64 + px - q + k) as usize] = true;
            }
            px += n;
        }
        assert_eq!(drawn, modules);
        assert!(
            s.len() < 2600,
            "{} bytes (the crate renderer: 8,620)",
            s.len()
        );
    }
}
