//! A small RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas,
//! line breaks and doubled quotes (`""`), records end at CRLF or LF, a UTF-8 byte-order mark
//! is skipped, and a final line break is optional. Written by hand rather than with the `csv`
//! crate: the Data safety export is one small, fixed shape (five text columns), the reader is
//! fifty lines, and a hand reader reports exactly where a quote is left open or stray, which
//! the one-line error needs.
//!
//! ```
//! use disclose::declared::csv::read_records;
//! let rows = read_records("\u{feff}a,\"b,\"\"c\"\"\"\r\nd,\"e\nf\"\r\n").unwrap();
//! assert_eq!(rows[0].fields, vec!["a", "b,\"c\""]);
//! assert_eq!(rows[1].fields, vec!["d", "e\nf"]);
//! assert_eq!(rows[1].line, 2);
//! ```

/// One record and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a text is not CSV: the problem and its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    pub line: usize,
    pub message: &'static str,
}

/// Every record of `text`; blank lines are skipped.
pub fn read_records(text: &str) -> Result<Vec<Record>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted_field = false;
        loop {
            match chars.next() {
                None => {
                    fields.push(std::mem::take(&mut field));
                    break;
                }
                Some('"') if field.is_empty() && !quoted_field => {
                    quoted_field = true;
                    read_quoted(&mut chars, &mut field, &mut line)?;
                }
                Some('"') => {
                    return Err(CsvError {
                        line,
                        message: "a double quote inside a field that is not quoted",
                    })
                }
                Some(',') => {
                    fields.push(std::mem::take(&mut field));
                    quoted_field = false;
                }
                Some('\r') if chars.peek() == Some(&'\n') => {}
                Some('\n') => {
                    line += 1;
                    fields.push(std::mem::take(&mut field));
                    break;
                }
                Some(_) if quoted_field => {
                    return Err(CsvError {
                        line,
                        message: "text after the closing quote of a field",
                    })
                }
                Some(c) => field.push(c),
            }
        }
        let blank = fields.len() == 1 && fields[0].is_empty() && !quoted_field;
        if !blank {
            records.push(Record {
                line: start,
                fields,
            });
        }
    }
    Ok(records)
}

/// The rest of a quoted field, after its opening quote, up to and including its closing quote.
fn read_quoted(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    field: &mut String,
    line: &mut usize,
) -> Result<(), CsvError> {
    let opened = *line;
    loop {
        match chars.next() {
            None => {
                return Err(CsvError {
                    line: opened,
                    message: "a quoted field is never closed",
                })
            }
            Some('"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            Some('"') => return Ok(()),
            Some(c) => {
                if c == '\n' {
                    *line += 1;
                }
                field.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_line_ends() {
        let rows = read_records("a,b\n\n\"x\"\"y\",\r\n").unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].fields, vec!["x\"y", ""]);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn errors_name_the_line() {
        let open = read_records("a\n\"b,c\n").err();
        assert_eq!(
            open.map(|e| e.to_string()),
            Some("line 2: a quoted field is never closed".into())
        );
        let stray = read_records("a,b\"c\n").err().map(|e| e.line);
        assert_eq!(stray, Some(1));
        assert!(read_records("\"a\"b\n").is_err());
    }
}
