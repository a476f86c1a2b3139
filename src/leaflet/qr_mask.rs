//! A QR code's mask, chosen the standard way, a row of modules at a time.
//!
//! A symbol's data is XORed with one of eight patterns, and the encoder must pick the
//! pattern whose result scores the lowest penalty (ISO/IEC 18004 7.8.3: long runs, 2x2
//! blocks, finder lookalikes, an uneven dark share), because that is the one a phone
//! camera reads most reliably off a creased or photocopied leaflet. `qrcodegen` scores
//! the eight candidates module by module, most of the time it takes to make a code
//! (`fast_qr`, the crate before it, spent a quarter of a 5,000-group build's
//! instructions doing the same). Here the crate encodes once with a fixed mask, the data
//! is unmasked, and each candidate is scored with a row of modules in one machine word
//! (`num_traits::PrimInt` lets the same code use `u64` or `u128`), so the runs and
//! blocks of a whole row are found a word at a time. The result is tested to be
//! exactly the symbol `QrCode::encode_text` draws.

use num_traits::PrimInt;
use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};
use std::sync::LazyLock;

/// Widest symbol scored here, in modules (version 27): one `u128` a row (a `u64` up
/// to version 11, which holds any address of up to 250 characters at level M).
const MAX_SIZE: usize = 125;

/// Each mask's pattern (true: the data module is flipped), one word per row for rows
/// `y mod 12` (every pattern repeats every 12 rows and 12 columns).
static PATTERNS: LazyLock<[[u128; 12]; 8]> = LazyLock::new(|| {
    let mut table = [[0u128; 12]; 8];
    for (m, rows) in table.iter_mut().enumerate() {
        for (y, word) in rows.iter_mut().enumerate() {
            for x in 0..MAX_SIZE {
                if flips(m, x, y) {
                    *word |= 1 << x;
                }
            }
        }
    }
    table
});

/// The eight mask conditions of ISO/IEC 18004 (x: column, y: row).
fn flips(mask: usize, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + x * y % 3).is_multiple_of(2),
    }
}

/// Where a symbol of one size has its function modules, one word a row.
fn function_modules<W: PrimInt>(version: u8, size: usize) -> Vec<W> {
    let mut rows = vec![W::zero(); size];
    let mut set = |x: usize, y: usize| rows[y] = rows[y] | W::one() << x;
    for i in 0..size {
        set(6, i);
        set(i, 6);
    }
    // Finders with their separators, and the format areas beside them.
    for (cx, cy) in [(0, 0), (size - 8, 0), (0, size - 8)] {
        for y in cy..cy + 8 {
            for x in cx..cx + 8 {
                set(x, y);
            }
        }
    }
    for i in 0..9 {
        set(8, i);
        set(i, 8);
    }
    for i in 0..8 {
        set(size - 1 - i, 8);
        set(8, size - 1 - i);
    }
    let centres = alignment_centres(version, size);
    let last = centres.len().saturating_sub(1);
    for (i, &cy) in centres.iter().enumerate() {
        for (j, &cx) in centres.iter().enumerate() {
            if (i == 0 && (j == 0 || j == last)) || (i == last && j == 0) {
                continue;
            }
            for y in cy - 2..=cy + 2 {
                for x in cx - 2..=cx + 2 {
                    set(x, y);
                }
            }
        }
    }
    if version >= 7 {
        for i in 0..18 {
            let (a, b) = (size - 11 + i % 3, i / 3);
            set(a, b);
            set(b, a);
        }
    }
    rows
}

/// Row (and column) of each alignment pattern's centre.
fn alignment_centres(version: u8, size: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let v = usize::from(version);
    let count = v / 7 + 2;
    let step = (v * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
    let mut out: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    out.push(6);
    out.reverse();
    out
}

/// The 15 format bits for level `ecl` and `mask`, BCH-coded and masked as the standard says.
fn format_bits(ecl: QrCodeEcc, mask: usize) -> u32 {
    let level = match ecl {
        QrCodeEcc::Low => 1,
        QrCodeEcc::Medium => 0,
        QrCodeEcc::Quartile => 3,
        QrCodeEcc::High => 2,
    };
    let data = (level << 3 | mask as u32) << 10;
    let mut rem = data;
    for bit in (10..15).rev() {
        if rem >> bit & 1 == 1 {
            rem ^= 0x537 << (bit - 10);
        }
    }
    (data | rem) ^ 0x5412
}

/// Writes the format bits into the rows (both copies).
fn place_format<W: PrimInt>(rows: &mut [W], size: usize, bits: u32) {
    let mut put = |x: usize, y: usize, i: u32| {
        let on = bits >> i & 1 == 1;
        rows[y] = if on {
            rows[y] | W::one() << x
        } else {
            rows[y] & !(W::one() << x)
        };
    };
    for i in 0..6 {
        put(8, i as usize, i);
    }
    put(8, 7, 6);
    put(8, 8, 7);
    put(7, 8, 8);
    for i in 9..15 {
        put(14 - i as usize, 8, i);
    }
    for i in 0..8 {
        put(size - 1 - i as usize, 8, i);
    }
    for i in 8..15 {
        put(8, size - 15 + i as usize, i);
    }
    rows[size - 8] = rows[size - 8] | W::one() << 8;
}

/// Penalty of one masked symbol (rows as words), ISO/IEC 18004 section 7.8.3.
fn penalty<W: PrimInt>(rows: &[W], size: usize) -> i32 {
    let all = width::<W>(size);
    let mut score = 0;
    // N1 across: a window of five alike starting at x; each run of five or more scores
    // 3 plus 1 per module over five: windows + 2 per run.
    let five = all >> 4;
    let mut dark = 0;
    for &r in rows {
        let alike = !(r ^ (r >> 1));
        let w = alike & (alike >> 1) & (alike >> 2) & (alike >> 3) & five;
        score += w.count_ones() + 2 * (w & !(w << 1)).count_ones();
        dark += r.count_ones();
    }
    // N1 down and N2 (2x2 blocks).
    let pairs = all >> 1;
    let mut prev_w = W::zero();
    for y in 0..size {
        if y + 4 < size {
            let mut w = all;
            for k in 0..4 {
                w = w & !(rows[y + k] ^ rows[y + k + 1]);
            }
            score += w.count_ones() + 2 * (w & !prev_w).count_ones();
            prev_w = w;
        }
        if y + 1 < size {
            let (a, b) = (rows[y], rows[y + 1]);
            let same = !(a ^ b);
            score += 3 * (same & (same >> 1) & !(a ^ (a >> 1)) & pairs).count_ones();
        }
    }
    // N3 across and down.
    let mut cols = vec![W::zero(); size];
    for (y, &r) in rows.iter().enumerate() {
        let mut bits = r;
        while bits != W::zero() {
            let x = bits.trailing_zeros() as usize;
            cols[x] = cols[x] | W::one() << y;
            bits = bits & (bits - W::one());
        }
    }
    for line in rows.iter().chain(&cols) {
        score += 40 * finder_count(*line, size);
    }
    // N4: 10 for every full 5% the dark share is away from half.
    let total = (size * size) as u32;
    let off = (dark * 20).abs_diff(total * 10);
    // Exactly half dark scores -10, as in the reference encoder.
    (score + off.div_ceil(total) * 10) as i32 - 10
}

/// Light-dark runs along a line, newest first: the light run just ended, then the five
/// runs before it (dark, light, three dark, light, dark in a lookalike) and the light
/// run before those.
struct Runs([u32; 7]);

impl Runs {
    fn push(&mut self, len: u32) {
        let r = self.0;
        self.0 = [len, r[0], r[1], r[2], r[3], r[4], r[5]];
    }

    /// Counts a 1:1:3:1:1 lookalike (any module width `u`) once for each side that has
    /// four widths of light beside it and at least one on the other.
    fn lookalikes(&self) -> u32 {
        let r = &self.0;
        let u = r[1];
        let core = u > 0 && r[2] == u && r[3] == 3 * u && r[4] == u && r[5] == u;
        u32::from(core && r[0] >= 4 * u && r[6] >= u)
            + u32::from(core && r[6] >= 4 * u && r[0] >= u)
    }
}

/// Finder lookalikes along one row or column of `size` modules, as [`finder_lookalikes`]
/// counts them, mostly without walking the runs.
///
/// A lookalike one module wide (dark, light, three dark, light, dark, each run exactly
/// that long, with four light modules on one side) is matched at every position of the
/// line at once. Wider ones need a dark run of exactly 6, 9, ... modules, so a line with
/// a dark run of six or more (a finder's edge, say) is counted run by run; other lines
/// (nearly all) cannot hold one. Walking every run of every line was most of the time
/// scoring took.
fn finder_count<W: PrimInt>(line: W, size: usize) -> u32 {
    // Room for four light modules before the line and eleven after it.
    let Some(bits) = line.to_u128().filter(|_| size + 15 <= 128) else {
        return finder_lookalikes(line, size);
    };
    let d = bits << 4;
    if d & d >> 1 & d >> 2 & d >> 3 & d >> 4 & d >> 5 != 0 {
        return finder_lookalikes(line, size);
    }
    // Light: everything that is not dark, past both ends of the line too.
    let l = !d;
    // Bit q: the pattern starts at q, with light at q - 1 and q + 7 (so its first and
    // last dark runs are one module long).
    let core = l << 1 & d & l >> 1 & d >> 2 & d >> 3 & d >> 4 & l >> 5 & d >> 6 & l >> 7;
    let light_after = l >> 8 & l >> 9 & l >> 10;
    let light_before = l << 2 & l << 3 & l << 4;
    (core & light_after).count_ones() + (core & light_before).count_ones()
}

/// Finder lookalikes along one row or column of `size` modules. Outside the symbol is
/// light: the reference encoder adds `size` light modules to the first and last light
/// runs, and so does this, so that the counts agree exactly.
fn finder_lookalikes<W: PrimInt>(line: W, size: usize) -> u32 {
    let n = size as u32;
    let mut runs = Runs([0; 7]);
    let mut count = 0;
    // Bit x set where module x differs from module x - 1 (module -1 is light).
    let mut changes = (line ^ (line << 1)) & width::<W>(size);
    let (mut start, mut dark, mut margin) = (0, false, n);
    while changes != W::zero() {
        let x = changes.trailing_zeros();
        changes = changes & (changes - W::one());
        runs.push(x - start + margin);
        margin = 0;
        if !dark {
            count += runs.lookalikes();
        }
        dark = !dark;
        start = x;
    }
    let mut last = n - start + margin;
    if dark {
        runs.push(last);
        last = 0;
    }
    runs.push(last + n);
    count + runs.lookalikes()
}

/// The symbol for `text` at level `ecl` (or higher, when that fits in the same size)
/// with the lowest-penalty mask, row by row (`true` dark): exactly the modules
/// `QrCode::encode_text` draws; `None` if the text is too long for any QR code.
pub(super) fn encode(text: &str, ecl: QrCodeEcc) -> Option<(usize, Vec<bool>)> {
    let segments = QrSegment::make_segments(text);
    let with_mask = |mask: Option<Mask>| {
        QrCode::encode_segments_advanced(&segments, ecl, Version::MIN, Version::MAX, mask, true)
            .ok()
    };
    let code = with_mask(Some(Mask::new(0)))?;
    let size = code.size() as usize;
    if size > MAX_SIZE {
        // Wider than a word: the crate chooses, slowly. A group address never gets here.
        let code = with_mask(None)?;
        let n = code.size();
        let all = (0..n).flat_map(|y| (0..n).map(move |x| (x, y)));
        return Some((size, all.map(|(x, y)| code.get_module(x, y)).collect()));
    }
    // `width` needs a spare bit above the symbol (sizes are 17 + 4 x version, never 64).
    let rows = if size < 64 {
        best_rows::<u64>(&code, size)
    } else {
        best_rows::<u128>(&code, size)
    };
    Some((size, rows))
}

/// The symbol's modules with the lowest-penalty mask, rows in words of type `W`: `u64`
/// for every symbol up to version 11 (a group's address), `u128` up to version 27.
fn best_rows<W: PrimInt>(code: &QrCode, size: usize) -> Vec<bool> {
    // Columns beyond the symbol count as function modules: never flipped.
    let beyond = !width::<W>(size);
    let function: Vec<W> = function_modules::<W>(code.version().value(), size)
        .into_iter()
        .map(|row| row | beyond)
        .collect();
    let patterns = &*PATTERNS;
    let flip = |mask: usize, y: usize| word::<W>(patterns[mask][y % 12], size) & !function[y];
    // The data as it was before mask 0 went on.
    let plain: Vec<W> = modules::<W>(code)
        .enumerate()
        .map(|(y, row)| row ^ flip(0, y))
        .collect();
    let level = code.error_correction_level();
    let mut best = (i32::MAX, Vec::new());
    for mask in 0..8 {
        let mut rows: Vec<W> = plain
            .iter()
            .enumerate()
            .map(|(y, &row)| row ^ flip(mask, y))
            .collect();
        place_format(&mut rows, size, format_bits(level, mask));
        let score = penalty(&rows, size);
        if score < best.0 {
            best = (score, rows);
        }
    }
    best.1
        .iter()
        .flat_map(|&row| (0..size).map(move |x| (row >> x) & W::one() == W::one()))
        .collect()
}

/// The low `size` bits set.
fn width<W: PrimInt>(size: usize) -> W {
    (W::one() << size) - W::one()
}

/// The first `size` bits of a pattern row as a `W` (`size` is at most `W`'s width).
fn word<W: PrimInt>(row: u128, size: usize) -> W {
    W::from(row & ((1u128 << size) - 1)).unwrap_or_else(W::zero)
}

/// The crate's modules as one word a row (bit x is column x), for symbols up to
/// [`MAX_SIZE`] wide.
fn modules<W: PrimInt>(code: &QrCode) -> impl Iterator<Item = W> + '_ {
    let size = code.size();
    (0..size).map(move |y| {
        (0..size)
            .filter(|&x| code.get_module(x, y))
            .fold(W::zero(), |row, x| row | W::one() << x as usize)
    })
}

#[cfg(test)]
mod tests {
    use qrcodegen::{QrCode, QrCodeEcc};

    fn reference(text: &str, ecl: QrCodeEcc) -> Option<(usize, Vec<bool>)> {
        let code = QrCode::encode_text(text, ecl).ok()?;
        let n = code.size();
        let modules = (0..n)
            .flat_map(|y| (0..n).map(move |x| (x, y)))
            .map(|(x, y)| code.get_module(x, y))
            .collect();
        Some((n as usize, modules))
    }

    /// A repeatable stream of pseudo-random numbers (xorshift64).
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// The quick count of finder lookalikes agrees with walking the runs: random lines,
    /// and lines with lookalikes one and two modules wide planted near either end.
    #[test]
    fn finder_lookalikes_counted_at_once_as_run_by_run() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        let planted: [(u128, usize); 4] = [
            (0b101_1101, 7),
            (0b0000_1011_1010_0000, 16),
            (0b11_0011_1111_0011, 14),
            (0b10_1110_1000_0101_1101, 21),
        ];
        let (mut compared, mut found) = (0, 0);
        for size in (21..=125).step_by(4) {
            let all = (1u128 << size) - 1;
            for i in 0..400 {
                let mut line = (u128::from(next()) << 64 | u128::from(next())) & all;
                if i % 4 == 1 {
                    // Sparse lines have long light runs on both sides of what is planted.
                    line &= u128::from(next()) << 64 | u128::from(next());
                }
                if i % 2 == 0 {
                    let (pattern, len) = planted[(i / 2) % planted.len()];
                    let at = [0, size - len, next() as usize % (size - len + 1)][i % 3];
                    line = line & !(((1u128 << len) - 1) << at) | pattern << at;
                }
                let slow = super::finder_lookalikes(line, size);
                found += slow;
                assert_eq!(super::finder_count(line, size), slow, "{line:b} ({size})");
                if size < 64 {
                    let narrow = line as u64;
                    assert_eq!(super::finder_count(narrow, size), slow, "{line:b} ({size})");
                }
                compared += 1;
            }
        }
        assert_eq!(compared, 27 * 400);
        assert!(found > 5000, "only {found} lookalikes in all those lines");
    }

    /// Every level, texts from 1 to 1,300 characters (versions 1 to 27, and wider ones
    /// handed back to the crate) in byte, alphanumeric and numeric modes, group
    /// addresses among them: module for module what the crate draws when it chooses.
    #[test]
    fn the_same_symbol_as_the_crate_chooses() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        let chars = b"abcdefghijklmnopqrstuvwxyz0123456789-/ABC.%";
        let mut checked = 0;
        for len in (1..300).step_by(3) {
            for kind in 0..4 {
                let text: String = match kind {
                    0 => (0..len)
                        .map(|_| chars[next() as usize % chars.len()] as char)
                        .collect(),
                    1 => (0..len)
                        .map(|_| chars[26 + next() as usize % 10] as char)
                        .collect(),
                    2 => (0..len)
                        .map(|_| chars[next() as usize % chars.len()] as char)
                        .collect::<String>()
                        .to_uppercase(),
                    _ => format!("https://mutualaid.example.org/groups/helpers-{len}/"),
                };
                for ecl in [
                    QrCodeEcc::Low,
                    QrCodeEcc::Medium,
                    QrCodeEcc::Quartile,
                    QrCodeEcc::High,
                ] {
                    assert_eq!(
                        super::encode(&text, ecl),
                        reference(&text, ecl),
                        "{text:?} at {ecl:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 1600);
        // Longer texts, up to the widest symbol scored here (version 27, 125 modules).
        let mut widest = 0;
        for len in (300..1300).step_by(37) {
            let text: String = (0..len)
                .map(|_| chars[next() as usize % chars.len()] as char)
                .collect();
            for ecl in [QrCodeEcc::Low, QrCodeEcc::Medium, QrCodeEcc::High] {
                let ours = super::encode(&text, ecl);
                assert_eq!(ours, reference(&text, ecl), "{len} characters at {ecl:?}");
                if let Some((size, _)) = ours.filter(|(size, _)| *size <= super::MAX_SIZE) {
                    widest = widest.max(size);
                }
            }
        }
        assert_eq!(widest, super::MAX_SIZE);
        // Wider than a word (versions 28 and up): the crate's own choice, unchanged.
        let long = "a".repeat(1500);
        assert!(super::encode(&long, QrCodeEcc::Low).unwrap().0 > super::MAX_SIZE);
        assert_eq!(
            super::encode(&long, QrCodeEcc::Low),
            reference(&long, QrCodeEcc::Low)
        );
        assert_eq!(super::encode(&"a".repeat(3000), QrCodeEcc::Low), None);
    }
}
