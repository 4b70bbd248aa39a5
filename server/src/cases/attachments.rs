//! Attachments: photos and documents, typed by their content, photo metadata removed,
//! sealed with the case key, with a SHA-256 of the original recorded.

use bytes::Bytes;
use img_parts::ImageEXIF;
use serde_json::json;
use sha2::{Digest, Sha256};
use shelter_shared::audit::AuditAction;
use uuid::Uuid;

use super::portal::RequesterSession;
use super::{CaseError, Cases};
use crate::audit::{self, Actor, NewEntry, Subject};

/// The kinds of file accepted, decided from the bytes, never from the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// A JPEG photo.
    Jpeg,
    /// A PNG image.
    Png,
    /// A WebP image.
    WebP,
    /// A PDF document.
    Pdf,
}

impl MediaType {
    /// What the file's bytes say it is, if accepted.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match infer::get(bytes)?.mime_type() {
            "image/jpeg" => Some(MediaType::Jpeg),
            "image/png" => Some(MediaType::Png),
            "image/webp" => Some(MediaType::WebP),
            "application/pdf" => Some(MediaType::Pdf),
            _ => None,
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::WebP => "image/webp",
            MediaType::Pdf => "application/pdf",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::WebP => "webp",
            MediaType::Pdf => "pdf",
        }
    }
}

/// Limits on attachments.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentLimits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Most files per case.
    pub per_case: i64,
}

/// Removes what a photo says about where and on what it was taken: EXIF (with GPS), XMP,
/// IPTC, comments and text chunks. The picture itself is not re-encoded.
pub fn strip_metadata(media: MediaType, bytes: Bytes) -> Result<Bytes, CaseError> {
    let unreadable = || CaseError::Invalid { message_id: "error-file-type" };
    match media {
        MediaType::Jpeg => {
            let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(bytes).map_err(|_| unreadable())?;
            // APP1 (EXIF, XMP), APP3-APP15 (maker notes, IPTC), COM; APP0 (JFIF) and APP2 (colour profile) stay.
            for marker in [0xE1u8, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xFE] {
                jpeg.remove_segments_by_marker(marker);
            }
            Ok(jpeg.encoder().bytes())
        }
        MediaType::Png => {
            let mut png = img_parts::png::Png::from_bytes(bytes).map_err(|_| unreadable())?;
            for kind in [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"] {
                png.remove_chunks_by_type(kind);
            }
            Ok(png.encoder().bytes())
        }
        MediaType::WebP => {
            let mut webp = img_parts::webp::WebP::from_bytes(bytes).map_err(|_| unreadable())?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            Ok(webp.encoder().bytes())
        }
        // A PDF is kept as sent: rewriting it safely needs a PDF library; staff are told.
        MediaType::Pdf => Ok(bytes),
    }
}

/// A name safe to offer in a download: letters, digits, dots, dashes and underscores,
/// ending in the extension of the real type.
pub fn sanitise_name(name: &str, media: MediaType) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = stem.rsplit_once('.').map(|(s, _)| s).unwrap_or(stem);
    let clean: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    let clean = clean.trim_matches('_');
    let stem = if clean.is_empty() { "attachment" } else { clean };
    format!("{stem}.{}", media.extension())
}

impl Cases {
    /// Adds a file sent by the requester.
    pub async fn portal_attachment(
        &self,
        session: &RequesterSession,
        limits: AttachmentLimits,
        name: &str,
        bytes: Bytes,
    ) -> Result<Uuid, CaseError> {
        if bytes.len() > limits.max_bytes {
            return Err(CaseError::Invalid { message_id: "error-file-too-large" });
        }
        let media = MediaType::sniff(&bytes).ok_or(CaseError::Invalid { message_id: "error-file-type" })?;
        let original_sha256: [u8; 32] = Sha256::digest(&bytes).into();
        let original_size = bytes.len();
        let stripped = strip_metadata(media, bytes)?;
        let name = sanitise_name(name, media);
        // One connection for the whole request: the key is read on it, then the
        // transaction runs on it.
        let mut conn = self.db.acquire().await?;
        let key = self.case_key(&mut conn, session.case_id).await?;
        let attachment_id = Uuid::new_v4();
        let content = key.seal(&format!("attachment:{attachment_id}"), &stripped)?;
        let name_sealed = key.seal(&format!("attachment-name:{attachment_id}"), name.as_bytes())?;
        let now = self.clock.now();
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        // Lock the case row so two uploads at once cannot both pass the count.
        sqlx::query_scalar!("select case_id from cases where case_id = $1 for update", session.case_id)
            .fetch_optional(&mut *tx)
            .await?;
        // A calm session's files count apart from the requester's: it learns nothing of how many
        // real ones there are, and cannot use up the requester's allowance.
        let count = sqlx::query_scalar!(
            r#"select count(*) as "count!" from case_attachment where case_id = $1 and (held is null) = ($2::text is null)"#,
            session.case_id,
            session.calm.map(super::portal::Calm::as_str),
        )
        .fetch_one(&mut *tx)
        .await?;
        if count >= limits.per_case {
            return Err(CaseError::Invalid { message_id: "error-too-many-files" });
        }
        sqlx::query!(
            "insert into case_attachment (attachment_id, case_id, media_type, size_bytes, original_sha256, content_sealed,
                                          name_sealed, uploaded_by, created_at, held)
             values ($1, $2, $3, $4, $5, $6, $7, 'requester', $8, $9)",
            attachment_id,
            session.case_id,
            media.mime(),
            i32::try_from(stripped.len()).unwrap_or(i32::MAX),
            original_sha256.as_slice(),
            content,
            name_sealed,
            now,
            // From a calm session: held back, never opened (it may carry anything).
            session.calm.map(super::portal::Calm::as_str),
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::AttachmentAdded)
            .subject(Subject { kind: "case", id: session.case_id.to_string() })
            .details(json!({
                "attachment": attachment_id, "media_type": media.mime(), "original_bytes": original_size,
                "stored_bytes": stripped.len(), "original_sha256": hex::encode(original_sha256),
                "held": session.calm.map(super::portal::Calm::as_str),
            }));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(attachment_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitised_and_typed_by_content() {
        assert_eq!(sanitise_name("../../etc/passwd", MediaType::Pdf), "passwd.pdf");
        assert_eq!(sanitise_name("court order.exe", MediaType::Pdf), "court_order.pdf");
        assert_eq!(sanitise_name("ဓာတ်ပုံ.jpg", MediaType::Jpeg), "attachment.jpg");
        assert_eq!(sanitise_name("<script>.png", MediaType::Png), "script.png");
    }

    #[test]
    fn only_known_types_are_accepted() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(b"MZ\x90\x00 not a photo"), None);
        assert_eq!(MediaType::sniff(b"<html><script>"), None);
    }
}
