//! PostgreSQL's binary COPY format, read in batches of whole rows: the stream arrives in
//! pieces that do not follow row boundaries, and each batch can then be decoded apart from
//! the others (on another core). See <https://www.postgresql.org/docs/current/sql-copy.html>.

use bytes::{Buf, Bytes, BytesMut};
use futures_util::TryStreamExt;
use futures_util::stream::BoxStream;

const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

fn malformed(what: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("malformed binary COPY data: {what}"))
}

/// Cuts a binary COPY stream into batches of up to `rows` whole rows.
pub struct Batches<'c> {
    stream: BoxStream<'c, sqlx::Result<Bytes>>,
    buf: BytesMut,
    rows: usize,
    header_read: bool,
    /// How far `buf` is known to hold whole rows, and how many.
    scanned: usize,
    scanned_rows: usize,
    trailer_seen: bool,
}

/// What scanning one row from a position found.
enum Scan {
    Row(usize),
    Trailer,
    Incomplete,
}

fn scan_row(buf: &[u8], at: usize) -> sqlx::Result<Scan> {
    let Some(count) = buf.get(at..at + 2) else { return Ok(Scan::Incomplete) };
    let count = i16::from_be_bytes([count[0], count[1]]);
    if count == -1 {
        return Ok(Scan::Trailer);
    }
    let mut pos = at + 2;
    for _ in 0..count.max(0) {
        let Some(len) = buf.get(pos..pos + 4) else { return Ok(Scan::Incomplete) };
        let len = i32::from_be_bytes([len[0], len[1], len[2], len[3]]);
        pos += 4;
        if len >= 0 {
            pos += len as usize;
        } else if len != -1 {
            return Err(malformed("negative field length"));
        }
    }
    Ok(if pos <= buf.len() { Scan::Row(pos) } else { Scan::Incomplete })
}

impl<'c> Batches<'c> {
    /// Batches of `rows` rows from the raw stream of a `COPY … TO STDOUT (FORMAT binary)`.
    pub fn new(stream: BoxStream<'c, sqlx::Result<Bytes>>, rows: usize) -> Self {
        Batches {
            stream,
            buf: BytesMut::new(),
            rows: rows.max(1),
            header_read: false,
            scanned: 0,
            scanned_rows: 0,
            trailer_seen: false,
        }
    }

    fn read_header(&mut self) -> sqlx::Result<bool> {
        let fixed = SIGNATURE.len() + 8;
        if self.buf.len() < fixed {
            return Ok(false);
        }
        if &self.buf[..SIGNATURE.len()] != SIGNATURE {
            return Err(malformed("no signature"));
        }
        let at = SIGNATURE.len() + 4;
        let extension = u32::from_be_bytes([self.buf[at], self.buf[at + 1], self.buf[at + 2], self.buf[at + 3]]);
        let total = fixed + extension as usize;
        if self.buf.len() < total {
            return Ok(false);
        }
        self.buf.advance(total);
        self.header_read = true;
        Ok(true)
    }

    fn cut(&mut self) -> Bytes {
        let batch = self.buf.split_to(self.scanned).freeze();
        self.scanned = 0;
        self.scanned_rows = 0;
        batch
    }

    /// The next batch of whole rows; `None` after the last.
    pub async fn next(&mut self) -> sqlx::Result<Option<Bytes>> {
        loop {
            if self.header_read && !self.trailer_seen {
                loop {
                    match scan_row(&self.buf, self.scanned)? {
                        Scan::Row(end) => {
                            self.scanned = end;
                            self.scanned_rows += 1;
                            if self.scanned_rows == self.rows {
                                return Ok(Some(self.cut()));
                            }
                        }
                        Scan::Trailer => {
                            self.trailer_seen = true;
                            break;
                        }
                        Scan::Incomplete => break,
                    }
                }
            }
            if self.trailer_seen {
                if self.scanned_rows > 0 {
                    return Ok(Some(self.cut()));
                }
                // Read the stream to its end, so the connection is ready for its next query.
                while self.stream.try_next().await?.is_some() {}
                return Ok(None);
            }
            match self.stream.try_next().await? {
                Some(chunk) => {
                    self.buf.extend_from_slice(&chunk);
                    if !self.header_read {
                        self.read_header()?;
                    }
                }
                None => return Err(malformed("the stream ended without its trailer")),
            }
        }
    }
}

/// The fields of the rows of one batch, in order.
pub struct Rows {
    batch: Bytes,
}

impl Rows {
    /// The rows of `batch` (as cut by [`Batches`]).
    pub fn new(batch: Bytes) -> Self {
        Rows { batch }
    }

    /// The next row's fields (`None`: SQL NULL), or `None` at the end of the batch.
    pub fn next_row(&mut self, fields: &mut Vec<Option<Bytes>>) -> sqlx::Result<bool> {
        fields.clear();
        if self.batch.is_empty() {
            return Ok(false);
        }
        if self.batch.len() < 2 {
            return Err(malformed("a row cut short"));
        }
        let count = self.batch.get_i16();
        for _ in 0..count.max(0) {
            if self.batch.len() < 4 {
                return Err(malformed("a field cut short"));
            }
            let len = self.batch.get_i32();
            if len < 0 {
                fields.push(None);
            } else {
                let len = len as usize;
                if self.batch.len() < len {
                    return Err(malformed("a field cut short"));
                }
                fields.push(Some(self.batch.split_to(len)));
            }
        }
        Ok(true)
    }
}
