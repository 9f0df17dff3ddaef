//! Unit tests of media sniffing: images, video and audio, and hostile MP4 box trees.

#[test]
fn sniffs_images_and_refuses_others() {
    let png = include_bytes!("../../../assets/avatar.png");
    let sniffed = super::sniff(png).expect("png");
    assert_eq!(
        (sniffed.mime, sniffed.ext, sniffed.kind, sniffed.size),
        ("image/png", "png", "image", Some((48, 48)))
    );
    assert_eq!(
        super::sniff(b"GIF89a\x10\x00\x08\x00rest").map(|s| s.size),
        Some(Some((16, 8)))
    );
    assert!(super::sniff(b"<svg onload=alert(1)>").is_none());
    assert!(super::sniff(b"").is_none());
}

/// A minimal MP4: `ftyp`, then `moov` with `mvhd` (timescale 1000, 2.5 s) and one video
/// track whose `tkhd` says 320×240.
pub fn tiny_mp4(with_video: bool) -> Vec<u8> {
    fn boxed(kind: &[u8], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }
    let mut mvhd = vec![0u8; 100];
    mvhd[12..16].copy_from_slice(&1000u32.to_be_bytes());
    mvhd[16..20].copy_from_slice(&2500u32.to_be_bytes());
    let mut tkhd = vec![0u8; 84];
    if with_video {
        tkhd[76..80].copy_from_slice(&(320u32 << 16).to_be_bytes());
        tkhd[80..84].copy_from_slice(&(240u32 << 16).to_be_bytes());
    }
    let trak = boxed(b"trak", &boxed(b"tkhd", &tkhd));
    let moov = boxed(b"moov", &[boxed(b"mvhd", &mvhd), trak].concat());
    [
        boxed(b"ftyp", b"isom\0\0\x02\0isomiso2mp41"),
        boxed(b"free", b""),
        moov,
    ]
    .concat()
}

#[test]
fn sniffs_video_and_audio() {
    let video = super::sniff(&tiny_mp4(true)).expect("mp4");
    assert_eq!(
        (video.mime, video.kind, video.size, video.duration_ms),
        ("video/mp4", "video", Some((320, 240)), Some(2500))
    );
    let audio = super::sniff(&tiny_mp4(false)).expect("m4a");
    assert_eq!(
        (audio.mime, audio.kind, audio.duration_ms),
        ("audio/mp4", "audio", Some(2500))
    );
    assert_eq!(
        super::sniff(b"ID3\x04\0\0\0\0\0\0").map(|s| s.mime),
        Some("audio/mpeg")
    );
    assert_eq!(super::sniff(b"OggS\0\x02").map(|s| s.kind), Some("audio"));
    assert_eq!(
        super::sniff(b"\x1a\x45\xdf\xa3\x9f").map(|s| s.mime),
        Some("video/webm")
    );
    assert_eq!(
        super::sniff(b"RIFF\0\0\0\0WAVEfmt ").map(|s| s.mime),
        Some("audio/wav")
    );
    // A truncated or hostile box tree yields no facts, not a panic.
    let mut broken = tiny_mp4(true);
    broken.truncate(40);
    assert_eq!(super::sniff(&broken).map(|s| s.size), Some(None));
    let mut huge = tiny_mp4(true);
    huge[32..36].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(super::sniff(&huge).is_some());
}
