//! The API's errors: a status and a JSON body `{"error": message, "field": field}`.

use super::plan::FieldError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What is wrong.
    pub message: String,
    /// The request field it is in, if one.
    pub field: Option<String>,
}

impl ApiError {
    /// 400 for a field.
    pub fn field(e: FieldError) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: e.to_string(), field: Some(e.field) }
    }

    /// Any status with a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), field: None }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 400 from a library error (bad input) or 500 (anything else).
    pub fn library(e: crate::Error) -> ApiError {
        let status = if e.is_bad_input() { StatusCode::BAD_REQUEST } else { StatusCode::INTERNAL_SERVER_ERROR };
        ApiError::new(status, e.to_string())
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> ApiError {
        ApiError::field(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message, "field": self.field, "status": self.status.as_u16() });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The request body as JSON of type `T`: 413 past the size limit, 400 naming the line, column
/// and field serde stopped at otherwise.
pub fn json_body<T: serde::de::DeserializeOwned>(body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| ApiError::new(e.status(), format!("request body: {}", e.body_text())))?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("request body is not valid: {e}")))
}
