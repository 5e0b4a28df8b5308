//! SQL text: [`Sql`], the fragments a [`super::Where`] is made of, and the scanner that finds
//! `?` and `$n` placeholders outside string literals, quoted identifiers, dollar quotes and
//! comments.

/// SQL text made only of string literals of the code (`&'static str`) and other fragments:
/// nothing a request sends can become part of it (values go in as [`Bind`]s).
///
/// `Sql::trusted` is the one way in for text assembled at run time; each use names where its
/// pieces come from and is reviewed (`grep -rn "Sql::trusted" hds/src` lists them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sql(std::borrow::Cow<'static, str>);

impl Sql {
    pub const fn new(text: &'static str) -> Sql {
        Sql(std::borrow::Cow::Borrowed(text))
    }

    /// Text assembled at run time from pieces the code controls, never from a request; `why`
    /// says where the pieces come from.
    pub fn trusted(text: String, _why: &'static str) -> Sql {
        Sql(std::borrow::Cow::Owned(text))
    }

    /// This fragment followed by `next`.
    pub fn then(mut self, next: impl Into<Sql>) -> Sql {
        let next = next.into();
        if self.0.is_empty() {
            return next;
        }
        self.0.to_mut().push_str(&next.0);
        self
    }

    /// `parts` separated by `sep`.
    pub fn join(parts: impl IntoIterator<Item = Sql>, sep: &'static str) -> Sql {
        let mut out = Sql::default();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                out = out.then(sep);
            }
            out = out.then(part);
        }
        out
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&'static str> for Sql {
    fn from(text: &'static str) -> Sql {
        Sql::new(text)
    }
}

impl From<&Sql> for Sql {
    fn from(sql: &Sql) -> Sql {
        sql.clone()
    }
}

impl std::fmt::Display for Sql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A piece of SQL text, as [`scan`] finds it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// Text passed through as it is: SQL, string literals, quoted identifiers, comments.
    Text(&'a str),
    /// `?` outside literals, identifiers and comments: a [`Where`] placeholder.
    Param,
    /// `??`: a literal `?` (jsonb's `?`, `?|` and `?&` operators are written `??`, `??|`, `??&`
    /// in a [`Where`] clause).
    Question,
    /// `$n` outside literals, identifiers and comments.
    Numbered(usize),
}

/// Why SQL text could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SqlTextError(pub(super) String);

impl From<SqlTextError> for diesel::result::Error {
    fn from(e: SqlTextError) -> Self {
        diesel::result::Error::QueryBuilderError(e.0.into())
    }
}

impl std::fmt::Display for SqlTextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The end (exclusive) of the quoted text opening at `start` (`'…'` or `"…"`; the quote
/// doubled stands for itself, and with `backslash` a backslash escapes the next byte).
fn skip_quoted(b: &[u8], start: usize, quote: u8, backslash: bool) -> Option<usize> {
    let mut i = start + 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
        } else if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return Some(i + 1);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The end (exclusive) of `/* … */` opening at `start` (comments nest in PostgreSQL).
fn skip_block_comment(b: &[u8], start: usize) -> Option<usize> {
    let (mut depth, mut i) = (0usize, start);
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The tag of a dollar quote opening at `start` (`$$` or `$tag$`), if one does.
fn dollar_tag(b: &[u8], start: usize) -> Option<&[u8]> {
    let mut i = start + 1;
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    while i < b.len() && b[i] != b'$' {
        if !(b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
            return None;
        }
        i += 1;
    }
    (i < b.len()).then(|| &b[start..=i])
}

/// Reads `sql`, handing each piece to `emit` in order. Markers (`?`, `??`, `$n`) count only
/// outside string literals (`'…'`, `E'…'`, `$tag$…$tag$`), quoted identifiers (`"…"`) and
/// comments (`--`, `/* */`).
pub(super) fn scan<'a, E>(
    sql: &'a str,
    mut emit: impl FnMut(Token<'a>) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<SqlTextError>,
{
    let b = sql.as_bytes();
    let unterminated = |what: &str| SqlTextError(format!("unterminated {what} in `{sql}`"));
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let escapes =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !ident_byte(b[i - 2]));
                i = skip_quoted(b, i, b'\'', escapes)
                    .ok_or_else(|| unterminated("string literal"))?;
            }
            b'"' => {
                i = skip_quoted(b, i, b'"', false)
                    .ok_or_else(|| unterminated("quoted identifier"))?;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |n| i + n + 1);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i).ok_or_else(|| unterminated("comment"))?;
            }
            // `$` inside a word is part of an identifier.
            b'$' if i > 0 && ident_byte(b[i - 1]) => i += 1,
            b'$' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                let n = sql[i + 1..j]
                    .parse()
                    .map_err(|_| SqlTextError(format!("parameter number too large in `{sql}`")))?;
                if start < i {
                    emit(Token::Text(&sql[start..i]))?;
                }
                emit(Token::Numbered(n))?;
                (start, i) = (j, j);
            }
            b'$' => match dollar_tag(b, i) {
                Some(tag) => {
                    let body = i + tag.len();
                    let close = b[body..]
                        .windows(tag.len())
                        .position(|w| w == tag)
                        .ok_or_else(|| unterminated("dollar-quoted string"))?;
                    i = body + close + tag.len();
                }
                None => i += 1,
            },
            b'?' => {
                if start < i {
                    emit(Token::Text(&sql[start..i]))?;
                }
                if b.get(i + 1) == Some(&b'?') {
                    emit(Token::Question)?;
                    i += 2;
                } else {
                    emit(Token::Param)?;
                    i += 1;
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        emit(Token::Text(&sql[start..]))?;
    }
    Ok(())
}
