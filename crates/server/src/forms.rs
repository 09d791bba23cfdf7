//! Reading upload forms: multipart (a file part, or BASE64 text) or URL-encoded (BASE64 only).

use crate::errors::{ApiError, ApiResult};
use crate::state::AppState;
use crate::upload::{FileInput, UploadInput};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use bytes::Bytes;
use serde::Deserialize;
use std::collections::HashMap;

/// The fields of an upload form.
#[derive(Debug, Default)]
pub struct FormData {
    texts: HashMap<String, String>,
    file: Option<(Bytes, Option<String>)>,
    /// Set by the base64 upload routes: `file` is BASE64 text whatever `upload_type` says.
    base64: bool,
}

impl FormData {
    /// A trimmed, non-empty text field.
    pub fn text(&self, name: &str) -> Option<String> {
        self.texts
            .get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Treats `file` as BASE64 text (the legacy `*_base64/` upload routes).
    pub fn expect_base64(mut self) -> Self {
        self.base64 = true;
        self
    }

    fn is_base64(&self) -> bool {
        self.base64
            || self
                .text("upload_type")
                .is_some_and(|t| t.eq_ignore_ascii_case("base64"))
    }

    /// When no file part was sent, downloads `file_url` into it, so the bytes then take the
    /// same path through [`FormData::file`] as an uploaded file (the API-key upload routes; a
    /// form without this step answers INVALID_FILE_URL to a `file_url`).
    pub async fn fetch_file_url(&mut self, state: &AppState) -> ApiResult<()> {
        if self.file.is_some() || self.is_base64() {
            return Ok(());
        }
        let Some(url) = self.text("file_url") else {
            return Ok(());
        };
        let downloaded = state
            .file_urls
            .fetch(&url, state.config.max_body_bytes)
            .await?;
        self.file = Some((downloaded.bytes, downloaded.file_name));
        Ok(())
    }

    /// The statement file, decoding BASE64 when `upload_type` (or the route) says so.
    pub fn file(&self) -> ApiResult<FileInput> {
        if self.is_base64() {
            let encoded = match (&self.file, self.texts.get("file")) {
                (Some((bytes, _)), _) => String::from_utf8_lossy(bytes).into_owned(),
                (None, Some(text)) => text.clone(),
                (None, None) => return Ok(FileInput::Missing),
            };
            return decode_base64(&encoded).map(|bytes| FileInput::Bytes {
                bytes,
                file_name: None,
            });
        }
        // Reached with a URL only where nothing downloads it: the borrower-facing journey, whose
        // end users must not make the server fetch URLs.
        if self.text("file_url").is_some() && self.file.is_none() {
            return Err(ApiError::bad_request(
                "INVALID_FILE_URL",
                "This file url is invalid",
            ));
        }
        match &self.file {
            Some((bytes, name)) if !bytes.is_empty() => Ok(FileInput::Bytes {
                bytes: bytes.clone(),
                file_name: name.clone(),
            }),
            // submit-data-backend.md: "file exists but size = 0" is EMPTY_FILE.
            Some(_) => Err(ApiError::bad_request("EMPTY_FILE", "File object is empty")),
            None if self.texts.contains_key("file") => Err(ApiError::bad_request(
                "INVALID_FILE_OBJECT",
                "File object is invalid",
            )),
            None => Ok(FileInput::Missing),
        }
    }
}

fn decode_base64(encoded: &str) -> ApiResult<Bytes> {
    // Accept data-URL prefixes and line-wrapped input, as browsers and mail tools produce them.
    let payload = encoded
        .rsplit_once("base64,")
        .map_or(encoded, |(_, rest)| rest);
    let compact: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(ApiError::bad_request(
            "MISSING_FILE_OBJECT",
            "This file object is required",
        ));
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map(Bytes::from)
        .map_err(|_| ApiError::bad_request("INVALID_BASE_64", "Invalid Base 64 string"))
}

fn not_a_form() -> ApiError {
    ApiError::bad_request(
        "INVALID_FILE_OBJECT",
        "This field must be present as a form field. Send request with content type x-www-form-urlencoded or form-data",
    )
}

pub async fn read_form(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> ApiResult<FormData> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let limit = state.config.max_body_bytes;
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| not_a_form())?;
        read_multipart(multipart, limit).await.and_then(refuse_nul)
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| ApiError::payload_too_large(limit))?;
        let texts = url::form_urlencoded::parse(&bytes).into_owned().collect();
        refuse_nul(FormData {
            texts,
            ..FormData::default()
        })
    } else {
        Err(not_a_form())
    }
}

/// NUL characters in text fields or the file name answer 400 (as DRF does): PostgreSQL's text
/// columns refuse them, and an id lookup with one would otherwise fail as a 500.
fn refuse_nul(form: FormData) -> ApiResult<FormData> {
    let in_texts = form
        .texts
        .iter()
        .any(|(k, v)| k.contains('\0') || v.contains('\0'));
    let in_file_name = form
        .file
        .as_ref()
        .and_then(|(_, name)| name.as_deref())
        .is_some_and(|n| n.contains('\0'));
    if in_texts || in_file_name {
        return Err(ApiError::bad_request(
            "INVALID_REQUEST",
            "Null characters are not allowed.",
        ));
    }
    Ok(form)
}

async fn read_multipart(mut multipart: Multipart, limit: usize) -> ApiResult<FormData> {
    let mut form = FormData::default();
    let too_large_or_bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large(limit)
        } else {
            not_a_form()
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large_or_bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(too_large_or_bad)?;
        if name == "file" && file_name.is_some() {
            form.file = Some((bytes, file_name));
        } else {
            form.texts
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(form)
}

/// The upload routes' query flags: add the identity and the progress to the answer.
#[derive(Debug, Deserialize, Default)]
pub struct UploadQuery {
    pub identity: Option<String>,
    pub progress: Option<String>,
}

/// A query flag: `true` (any case) or `1`.
pub fn flag_set(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The upload fields common to both APIs; `bank_required` for upload_session and statement/upload.
/// A `file_url` sent instead of a file is downloaded here (after the cheap checks).
pub async fn upload_input(
    state: &AppState,
    form: &mut FormData,
    bank_required: bool,
) -> ApiResult<UploadInput> {
    let bank_name = form.text("bank_name");
    if bank_required && bank_name.is_none() {
        return Err(crate::upload::invalid_upload_bank());
    }
    form.fetch_file_url(state).await?;
    Ok(UploadInput {
        file: form.file()?,
        bank_name,
        pdf_password: form.text("pdf_password"),
    })
}
