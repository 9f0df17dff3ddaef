//! Facts from inside file headers for `sniff`: the pixel size in a JPEG's frame marker, and the
//! duration and track size in an MP4-family file's boxes. Bounded: hostile input yields no facts.

/// What the `moov` box of an MP4-family file tells.
#[derive(Debug, Default)]
pub(super) struct Mp4Info {
    pub(super) duration_ms: Option<i64>,
    pub(super) size: Option<(u32, u32)>,
    pub(super) has_tracks: bool,
}

/// The boxes directly inside `data`: `(type, body)`.
fn mp4_boxes(data: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while i + 8 <= data.len() {
        let size32 = u32::from_be_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]) as usize;
        let kind = &data[i + 4..i + 8];
        let (header, size) = match size32 {
            0 => (8, data.len() - i),
            1 if i + 16 <= data.len() => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[i + 8..i + 16]);
                (
                    16,
                    usize::try_from(u64::from_be_bytes(b)).unwrap_or(usize::MAX),
                )
            }
            n => (8, n),
        };
        if size < header || i.saturating_add(size) > data.len() {
            break;
        }
        out.push((kind, &data[i + header..i + size]));
        i += size;
    }
    out
}

/// Duration (from `mvhd`) and the pixel size of the first visual track (from `tkhd`).
pub(super) fn mp4_info(bytes: &[u8]) -> Mp4Info {
    let mut info = Mp4Info::default();
    let Some((_, moov)) = mp4_boxes(bytes).into_iter().find(|(k, _)| *k == b"moov") else {
        return info;
    };
    let be32 = |b: &[u8], at: usize| -> Option<u64> {
        b.get(at..at + 4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as u64)
    };
    let be64 = |b: &[u8], at: usize| -> Option<u64> {
        b.get(at..at + 8).map(|s| {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_be_bytes(a)
        })
    };
    for (kind, body) in mp4_boxes(moov) {
        if kind == b"mvhd" {
            let v1 = body.first() == Some(&1);
            let (scale, duration) = if v1 {
                (be32(body, 20), be64(body, 24))
            } else {
                (be32(body, 12), be32(body, 16))
            };
            if let (Some(scale), Some(duration)) = (scale, duration) {
                info.duration_ms = duration
                    .saturating_mul(1000)
                    .checked_div(scale)
                    .and_then(|ms| i64::try_from(ms).ok());
            }
        }
        if kind == b"trak" {
            info.has_tracks = true;
            if let Some((_, tkhd)) = mp4_boxes(body).into_iter().find(|(k, _)| *k == b"tkhd") {
                // Width and height are the last two 16.16 fixed-point fields.
                let at = if tkhd.first() == Some(&1) { 88 } else { 76 };
                if let (Some(w), Some(h)) = (be32(tkhd, at), be32(tkhd, at + 4)) {
                    let (w, h) = ((w >> 16) as u32, (h >> 16) as u32);
                    if w > 0 && h > 0 && info.size.is_none() {
                        info.size = Some((w, h));
                    }
                }
            }
        }
    }
    info
}

/// Width and height from a JPEG's start-of-frame marker.
pub(super) fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([b[i + 5], b[i + 6]]) as u32;
            let w = u16::from_be_bytes([b[i + 7], b[i + 8]]) as u32;
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}
