//! The checks an uploaded zip passes before a session is created, read from its central
//! directory only (ranged reads of the stored object; docs/api-design.md#log-sessions): it is a
//! zip, whole (the end record and directory where they claim to be), with at most
//! `max_entries` members, at most `max_total` bytes uncompressed, no member expanding more than
//! `max_ratio` times, no encrypted member, no method other than stored/deflate, and no name that
//! is absolute, climbs (`..`) or holds a drive or a NUL. The worker checks again while it reads
//! (sizes as declared, CRCs), so a directory that lies fails there, with a reason.

/// Limits (from `Config`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_entries: u64,
    pub max_total: u64,
    pub max_ratio: u64,
}

/// A member, as the central directory declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub compressed: u64,
    pub uncompressed: u64,
}

/// What the checks found wrong: the client's 400, in words.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct Refused(pub String);

/// Reads `len` bytes at `start` of the stored object.
pub trait RangeRead {
    fn read(
        &self,
        start: u64,
        len: u64,
    ) -> impl std::future::Future<Output = anyhow::Result<Vec<u8>>>;
}

impl RangeRead for Vec<u8> {
    async fn read(&self, start: u64, len: u64) -> anyhow::Result<Vec<u8>> {
        let (s, e) = (start as usize, (start + len) as usize);
        anyhow::ensure!(e <= self.len(), "range past the end");
        Ok(self[s..e].to_vec())
    }
}

fn u16_at(b: &[u8], at: usize) -> u64 {
    u64::from(u16::from_le_bytes([b[at], b[at + 1]]))
}
fn u32_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]))
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

const NOT_A_ZIP: &str = "The file is not a zip archive, or it is truncated.";
/// The directory of a zip with `max_entries` members is read whole; a directory larger than
/// this for the members it declares is refused.
const MAX_DIR_ENTRY_BYTES: u64 = 46 + 1024 + 1024;

/// Checks the zip of `size` bytes; its members in directory order.
pub async fn check<R: RangeRead>(
    src: &R,
    size: u64,
    limits: Limits,
) -> Result<Vec<Member>, CheckError> {
    if size < 22 {
        return Err(refused(NOT_A_ZIP));
    }
    // The end record is in the last 22 + 65,535 (comment) bytes.
    let tail_len = size.min(22 + 65_535);
    let tail = src.read(size - tail_len, tail_len).await?;
    let eocd = (0..=tail.len() - 22)
        .rev()
        .find(|&i| {
            tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06]
                && i + 22 + (u16_at(&tail, i + 20) as usize) <= tail.len()
        })
        .ok_or_else(|| refused(NOT_A_ZIP))?;
    let eocd_pos = size - tail_len + eocd as u64;
    let mut entries = u16_at(&tail, eocd + 10);
    let mut dir_size = u32_at(&tail, eocd + 12);
    let mut dir_offset = u32_at(&tail, eocd + 16);
    let mut dir_end = eocd_pos;
    if entries == 0xFFFF || dir_size == 0xFFFF_FFFF || dir_offset == 0xFFFF_FFFF {
        // ZIP64: the locator sits just before the end record and points at the zip64 record.
        if eocd < 20 || tail[eocd - 20..eocd - 16] != [0x50, 0x4b, 0x06, 0x07] {
            return Err(refused(NOT_A_ZIP));
        }
        let rec_pos = u64_at(&tail, eocd - 12);
        if rec_pos + 56 > eocd_pos - 20 {
            return Err(refused(NOT_A_ZIP));
        }
        let rec = src.read(rec_pos, 56).await?;
        if rec[0..4] != [0x50, 0x4b, 0x06, 0x06] {
            return Err(refused(NOT_A_ZIP));
        }
        entries = u64_at(&rec, 32);
        dir_size = u64_at(&rec, 40);
        dir_offset = u64_at(&rec, 48);
        dir_end = rec_pos;
    }
    if entries > limits.max_entries {
        return Err(refused(&format!(
            "The zip holds {entries} files; at most {} are accepted.",
            limits.max_entries
        )));
    }
    if entries == 0 {
        return Err(refused("The zip is empty."));
    }
    if dir_offset
        .checked_add(dir_size)
        .is_none_or(|end| end > dir_end)
        || dir_size > entries * MAX_DIR_ENTRY_BYTES
    {
        return Err(refused(NOT_A_ZIP));
    }
    let dir = src.read(dir_offset, dir_size).await?;
    let mut members = Vec::with_capacity(entries as usize);
    let mut at = 0usize;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if at + 46 > dir.len() || dir[at..at + 4] != [0x50, 0x4b, 0x01, 0x02] {
            return Err(refused(NOT_A_ZIP));
        }
        let flags = u16_at(&dir, at + 8);
        let method = u16_at(&dir, at + 10);
        let mut compressed = u32_at(&dir, at + 20);
        let mut uncompressed = u32_at(&dir, at + 24);
        let name_len = u16_at(&dir, at + 28) as usize;
        let extra_len = u16_at(&dir, at + 30) as usize;
        let comment_len = u16_at(&dir, at + 32) as usize;
        let mut local = u32_at(&dir, at + 42);
        let end = at + 46 + name_len + extra_len + comment_len;
        if end > dir.len() {
            return Err(refused(NOT_A_ZIP));
        }
        let raw_name = &dir[at + 46..at + 46 + name_len];
        let name = String::from_utf8_lossy(raw_name).into_owned();
        // ZIP64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF, in order.
        let mut extra = &dir[at + 46 + name_len..at + 46 + name_len + extra_len];
        while extra.len() >= 4 {
            let (id, len) = (u16_at(extra, 0), u16_at(extra, 2) as usize);
            if 4 + len > extra.len() {
                break;
            }
            if id == 1 {
                let mut f = &extra[4..4 + len];
                for slot in [&mut uncompressed, &mut compressed, &mut local] {
                    if *slot == 0xFFFF_FFFF && f.len() >= 8 {
                        *slot = u64_at(f, 0);
                        f = &f[8..];
                    }
                }
            }
            extra = &extra[4 + len..];
        }
        if local >= dir_offset {
            return Err(refused(NOT_A_ZIP));
        }
        if flags & 1 != 0 {
            return Err(refused(&format!(
                "{name}: encrypted files are not accepted."
            )));
        }
        if method != 0 && method != 8 {
            return Err(refused(&format!(
                "{name}: compression method {method} is not supported (stored or deflate only)."
            )));
        }
        check_name(&name, raw_name)?;
        if uncompressed > 1 << 20 && uncompressed / compressed.max(1) > limits.max_ratio {
            return Err(refused(&format!(
                "{name} expands more than {} times; refused as a zip bomb.",
                limits.max_ratio
            )));
        }
        total = total.saturating_add(uncompressed);
        if total > limits.max_total {
            return Err(refused(&format!(
                "The zip expands to more than {} bytes; refused.",
                limits.max_total
            )));
        }
        members.push(Member {
            name,
            compressed,
            uncompressed,
        });
        at = end;
    }
    Ok(members)
}

/// A member name is relative and stays inside the extraction directory.
fn check_name(name: &str, raw: &[u8]) -> Result<(), CheckError> {
    let bad = raw.contains(&0)
        || name.starts_with('/')
        || name.starts_with('\\')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split(['/', '\\']).any(|part| part == "..");
    if bad {
        return Err(refused(&format!(
            "{name:?}: absolute paths and `..` are not accepted in member names."
        )));
    }
    Ok(())
}

fn refused(msg: &str) -> CheckError {
    CheckError::Refused(Refused(msg.to_string()))
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The zip is refused (400).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Reading the stored object failed (500).
    #[error("reading the stored zip: {0}")]
    Read(#[from] anyhow::Error),
}

/// The first file (not a directory) of the zip.
pub fn first_file(members: &[Member]) -> Option<&Member> {
    members.iter().find(|m| !m.name.ends_with('/'))
}
