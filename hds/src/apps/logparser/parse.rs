//! Log members → entries (contract §4.15): an entry starts at a line beginning with
//! `[YYYYMMDDTHHMMSS.f…]` (US/Pacific) and takes the lines after it that do not, joined with
//! `\n`. Entries are written as rows of PostgreSQL's COPY text format
//! (`file_id, seq, ts, level, message`), ready to stream into `log_entries`.

use std::collections::HashMap;
use std::io::BufRead;

use chrono::{NaiveDate, TimeZone};

/// The most one entry's text keeps (a line, or continuation lines, beyond it are cut).
pub const MAX_ENTRY_BYTES: usize = 1 << 20;

/// An entry being read.
struct Pending {
    ts: f64,
    level: Option<(usize, usize)>,
    message: Vec<u8>,
    truncated: bool,
}

/// Reads one member's lines and writes its entries as COPY rows into [`out`](Self::out).
pub struct EntryWriter {
    file_id: i64,
    /// The next entry's `seq` (unique in the session).
    pub next_seq: i64,
    /// The time of lines before the first timestamped one.
    fallback_ts: f64,
    /// `.log` members name a level (`[ts] [LEVEL] …`); `.dump` members do not.
    levels: bool,
    pending: Option<Pending>,
    /// UTC offset (seconds) of each local hour seen, `YYYYMMDDHH` → offset.
    offsets: HashMap<i64, i64>,
    /// COPY rows not yet taken.
    pub out: Vec<u8>,
    /// Entries written.
    pub entries: i64,
}

impl EntryWriter {
    pub fn new(file_id: i64, first_seq: i64, fallback_ts: f64, levels: bool) -> EntryWriter {
        EntryWriter {
            file_id,
            next_seq: first_seq,
            fallback_ts,
            levels,
            pending: None,
            offsets: HashMap::new(),
            out: Vec::with_capacity(1 << 20),
            entries: 0,
        }
    }

    /// One line, without its line break.
    pub fn line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(ts) = self.timestamp(line) {
            self.flush();
            let level = if self.levels { level_span(line) } else { None };
            let mut message = Vec::with_capacity(line.len().min(MAX_ENTRY_BYTES));
            let truncated = push_capped(&mut message, line);
            self.pending = Some(Pending {
                ts,
                level,
                message,
                truncated,
            });
            return;
        }
        match &mut self.pending {
            Some(p) => {
                if !p.truncated {
                    p.truncated =
                        push_capped(&mut p.message, b"\n") || push_capped(&mut p.message, line);
                }
            }
            None => {
                let mut message = Vec::new();
                let truncated = push_capped(&mut message, line);
                self.pending = Some(Pending {
                    ts: self.fallback_ts,
                    level: None,
                    message,
                    truncated,
                });
            }
        }
    }

    /// Writes the entry being read, if any (call at the end of the member).
    pub fn flush(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        use std::io::Write;
        let _ = write!(self.out, "{}\t{}\t{}\t", self.file_id, self.next_seq, p.ts);
        match p.level {
            Some((a, b)) => {
                let level = p.message[a..b].to_vec();
                escape_into(&mut self.out, &level);
            }
            None => self.out.extend_from_slice(b"\\N"),
        }
        self.out.push(b'\t');
        match std::str::from_utf8(&p.message) {
            Ok(_) => escape_into(&mut self.out, &p.message),
            Err(_) => escape_into(
                &mut self.out,
                String::from_utf8_lossy(&p.message).as_bytes(),
            ),
        }
        self.out.push(b'\n');
        self.next_seq += 1;
        self.entries += 1;
    }

    /// The epoch time of a line that starts an entry.
    fn timestamp(&mut self, l: &[u8]) -> Option<f64> {
        if l.len() < 19 || l[0] != b'[' || l[9] != b'T' || l[16] != b'.' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<i64> {
            l[r].iter().try_fold(0i64, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
            })
        };
        let (ymd, hms) = (digits(1..9)?, digits(10..16)?);
        let frac_end = 17 + l[17..].iter().position(|c| !c.is_ascii_digit())?;
        if frac_end == 17 || l[frac_end] != b']' {
            return None;
        }
        let mut frac = 0.0;
        let mut scale = 0.1;
        for &c in &l[17..frac_end] {
            frac += f64::from(c - b'0') * scale;
            scale /= 10.0;
        }
        let (y, m, d) = (ymd / 10000, (ymd / 100) % 100, ymd % 100);
        let (h, mi, s) = (hms / 10000, (hms / 100) % 100, hms % 100);
        if h > 23 || mi > 59 || s > 60 {
            return None;
        }
        let hour_key = ymd * 100 + h;
        let offset = match self.offsets.get(&hour_key) {
            Some(o) => *o,
            None => {
                let date = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)?;
                let naive = date.and_hms_opt(h as u32, 0, 0)?;
                let off = match chrono_tz::US::Pacific.offset_from_local_datetime(&naive) {
                    chrono::LocalResult::Single(o) | chrono::LocalResult::Ambiguous(o, _) => o,
                    // The hour skipped in spring: read with the offset before the change.
                    chrono::LocalResult::None => chrono_tz::US::Pacific
                        .offset_from_utc_datetime(&(naive - chrono::Duration::hours(8))),
                };
                use chrono::Offset;
                let o = i64::from(off.fix().local_minus_utc());
                self.offsets.insert(hour_key, o);
                o
            }
        };
        let days = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)?
            .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?)
            .num_days();
        let local = days * 86400 + h * 3600 + mi * 60 + s;
        Some((local - offset) as f64 + frac)
    }
}

/// `[LEVEL]` after the timestamp (`[ts] [INFO] …`): its span in the line.
fn level_span(l: &[u8]) -> Option<(usize, usize)> {
    let close = l.iter().position(|&c| c == b']')?;
    let rest = &l[close + 1..];
    let skip = rest.iter().take_while(|&&c| c == b' ').count();
    let start = close + 1 + skip;
    if l.get(start) != Some(&b'[') {
        return None;
    }
    let len = l[start + 1..].iter().take(17).position(|&c| c == b']')?;
    let word = &l[start + 1..start + 1 + len];
    (len > 0 && word.iter().all(|c| c.is_ascii_uppercase())).then_some((start + 1, start + 1 + len))
}

/// Appends within [`MAX_ENTRY_BYTES`]; true when something was cut.
fn push_capped(buf: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let room = MAX_ENTRY_BYTES.saturating_sub(buf.len());
    if bytes.len() <= room {
        buf.extend_from_slice(bytes);
        false
    } else {
        // Cut on a character boundary.
        let mut cut = room;
        while cut > 0 && (bytes[cut] & 0xC0) == 0x80 {
            cut -= 1;
        }
        buf.extend_from_slice(&bytes[..cut]);
        true
    }
}

/// COPY text escaping; NUL characters (which PostgreSQL's text cannot hold) are dropped.
fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let rep: &[u8] = match c {
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0 => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(rep);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Reads `reader` line by line into `w`, calling `spill` whenever a megabyte of rows is ready
/// (and at the end). Lines longer than [`MAX_ENTRY_BYTES`] are cut, so memory stays bounded
/// whatever the member holds.
pub fn read_member<R: BufRead, E>(
    mut reader: R,
    w: &mut EntryWriter,
    mut spill: impl FnMut(Vec<u8>) -> Result<(), E>,
) -> Result<(), ReadError<E>> {
    let mut line: Vec<u8> = Vec::with_capacity(4096);
    let mut overflow = false;
    loop {
        let buf = reader.fill_buf().map_err(ReadError::Io)?;
        if buf.is_empty() {
            break;
        }
        let (chunk, consumed, ends) = match memchr(buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        if !overflow {
            let room = MAX_ENTRY_BYTES - line.len();
            if chunk.len() > room {
                line.extend_from_slice(&chunk[..room]);
                overflow = true;
            } else {
                line.extend_from_slice(chunk);
            }
        }
        reader.consume(consumed);
        if ends {
            w.line(&line);
            line.clear();
            overflow = false;
            if w.out.len() >= 1 << 20 {
                spill(std::mem::take(&mut w.out)).map_err(ReadError::Sink)?;
            }
        }
    }
    if !line.is_empty() {
        w.line(&line);
    }
    w.flush();
    if !w.out.is_empty() {
        spill(std::mem::take(&mut w.out)).map_err(ReadError::Sink)?;
    }
    Ok(())
}

fn memchr(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&c| c == b'\n')
}

#[derive(Debug)]
pub enum ReadError<E> {
    Io(std::io::Error),
    Sink(E),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, levels: bool) -> Vec<Vec<String>> {
        let mut w = EntryWriter::new(7, 100, 0.0, levels);
        let mut out = Vec::new();
        read_member(text.as_bytes(), &mut w, |b| {
            out.extend(b);
            Ok::<(), ()>(())
        })
        .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn entries_take_their_continuation_lines() {
        let r = rows(
            "[20230131T131250.181] [INFO] [robot.beh.fsm] -- a\n  more\tx\n[20230131T131250.5] [DEBUG] b\\c\n",
            true,
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[0][0], "7");
        assert_eq!(r[0][1], "100");
        assert_eq!(r[0][2], "1675199570.181");
        assert_eq!(r[0][3], "INFO");
        assert_eq!(
            r[0][4],
            "[20230131T131250.181] [INFO] [robot.beh.fsm] -- a\\n  more\\tx"
        );
        assert_eq!(r[1][1], "101");
        assert_eq!(r[1][2], "1675199570.5");
        assert_eq!(r[1][4], "[20230131T131250.5] [DEBUG] b\\\\c");
    }

    #[test]
    fn dumps_have_no_level_and_preambles_get_the_fallback_time() {
        let r = rows(
            "header\n[20230131T131313.518230]  rcan0  384  37 97\n",
            false,
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[0][2], "0");
        assert_eq!(r[0][3], "\\N");
        assert_eq!(r[1][3], "\\N");
        assert_eq!(r[1][2], "1675199593.51823");
    }

    #[test]
    fn summer_time_is_seven_hours() {
        let r = rows("[20230701T120000.0] x\n", true);
        assert_eq!(r[0][2], (1688238000.0f64).to_string());
    }

    #[test]
    fn huge_lines_are_cut() {
        let long = format!("[20230131T131250.1] {}\n", "é".repeat(MAX_ENTRY_BYTES));
        let r = rows(&long, false);
        assert!(r[0][4].len() <= MAX_ENTRY_BYTES);
    }
}
