//! The HTTP API: thin handlers over the library. Every body is JSON with `solution.json`'s keys
//! where it carries a run, and every error is `{"error", "field"}` with 400, 403, 404 or 413.

use super::error::{json_body, ApiError};
use super::jobs::SolveInput;
use super::plan::{check_name, FieldError, Plan};
use super::view::{self, ViewRequest};
use super::State;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State as S};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

type Answer = Result<Response, ApiError>;

/// Run CPU work (an evaluation, a render) on the blocking pool.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {e}")))?
}

fn entry(st: &State, name: &str) -> Result<Arc<super::catalogue::Entry>, ApiError> {
    st.catalogue.get(name).ok_or_else(|| ApiError::not_found(format!("unknown instance `{name}`; GET /api/instances lists them")))
}

/// GET /api/instances
pub async fn instances(S(st): S<Arc<State>>) -> Json<Value> {
    let list: Vec<Value> = st.catalogue.all().map(|e| json!({
        "name": e.name, "units": e.inst.n(), "boundaries": e.inst.boundaries.is_some(), "partition_2025": e.partition_2025.is_some(),
    })).collect();
    Json(json!({ "instances": list }))
}

/// GET /api/instances/{name}: the units, the start plan, the parameter groups and the plans on it.
pub async fn instance(S(st): S<Arc<State>>, Path(name): Path<String>) -> Answer {
    let e = entry(&st, &name)?;
    let inst = &e.inst;
    let attrs = &inst.attributes;
    let units: Vec<Value> = inst.units.iter().map(|u| {
        let values: serde_json::Map<String, Value> = attrs.iter().zip(&u.values).map(|(a, v)| (a.clone(), json!(v))).collect();
        json!({ "code": u.code, "name": u.name, "values": values })
    }).collect();
    let start = Plan::from_partition(&e.name, inst, &e.start(), Default::default());
    Ok(Json(json!({
        "name": e.name, "units": units, "attributes": attrs, "start": start, "partition_2025": e.partition_2025.is_some(),
        "defaults": crate::Scenario::default(),
        "years": super::page::years(inst),
    })).into_response())
}

/// POST /api/evaluate: a plan's figures, as `alue evaluate --no-compare`.
pub async fn evaluate(S(st): S<Arc<State>>, body: Result<Bytes, BytesRejection>) -> Answer {
    let req: ViewRequest = json_body(body)?;
    let e = entry(&st, &req.instance)?;
    let ws = st.workspace.clone();
    let v = blocking(move || view::evaluate(&e, &req, &ws)).await?;
    Ok(Json(v).into_response())
}

/// POST /api/solve: queue a solve of the plan's scenario (its locks as fixed assignments).
pub async fn solve(S(st): S<Arc<State>>, body: Result<Bytes, BytesRejection>) -> Answer {
    let req: ViewRequest = json_body(body)?;
    let e = entry(&st, &req.instance)?;
    let look = req.look(&e)?;
    let plan = req.plan();
    // Refuse a bad scenario now, with the field, rather than from the child process.
    let sc = plan.scenario()?;
    sc.instance(&e.inst).map_err(|x| FieldError::new("scenario.data_year", x.to_string()))?;
    let scenario_toml = plan.scenario_toml()?;
    let id = st.jobs.submit(SolveInput { entry: e, scenario_toml, look });
    Ok((StatusCode::ACCEPTED, Json(json!({ "job": id }))).into_response())
}

/// Query of GET /api/jobs/{id}.
#[derive(Deserialize)]
pub struct Wait {
    /// Answer once the job's version is above this (long poll, up to 10 s).
    after: Option<i64>,
}

/// GET /api/jobs/{id}
pub async fn job(S(st): S<Arc<State>>, Path(id): Path<u64>, Query(w): Query<Wait>) -> Answer {
    let v = st.jobs.view(id, w.after, std::time::Duration::from_secs(10)).await.ok_or_else(|| ApiError::not_found(format!("no job {id}")))?;
    Ok(Json(v).into_response())
}

/// POST /api/jobs/{id}/cancel
pub async fn cancel(S(st): S<Arc<State>>, Path(id): Path<u64>) -> Answer {
    st.jobs.cancel(id).ok_or_else(|| ApiError::not_found(format!("no job {id}")))?;
    Ok(Json(json!({ "job": id, "cancel": true })).into_response())
}

/// GET /api/plans
pub async fn plans(S(st): S<Arc<State>>) -> Json<Value> {
    let ws = st.workspace.clone();
    let list = tokio::task::spawn_blocking(move || ws.list()).await.unwrap_or_default();
    Json(json!({ "plans": list }))
}

/// GET /api/plans/{name}
pub async fn plan_get(S(st): S<Arc<State>>, Path(name): Path<String>) -> Answer {
    let ws = st.workspace.clone();
    let f = blocking(move || Ok(ws.load(&name)?.ok_or_else(|| ApiError::not_found(format!("no saved plan `{name}`")))?)).await?;
    Ok(Json(f).into_response())
}

/// PUT /api/plans/{name}: save (atomically replace) a plan after checking it evaluates.
pub async fn plan_put(S(st): S<Arc<State>>, Path(name): Path<String>, body: Result<Bytes, BytesRejection>) -> Answer {
    check_name(&name)?;
    let plan: Plan = json_body(body)?;
    let e = entry(&st, &plan.instance)?;
    plan.scenario()?;
    plan.partition(&e.inst)?;
    let ws = st.workspace.clone();
    let f = blocking(move || Ok(ws.save(&name, &plan)?)).await?;
    Ok((StatusCode::OK, Json(json!({ "saved": f.name, "at": f.saved }))).into_response())
}

/// DELETE /api/plans/{name}
pub async fn plan_delete(S(st): S<Arc<State>>, Path(name): Path<String>) -> Answer {
    let ws = st.workspace.clone();
    let n = name.clone();
    if !blocking(move || Ok(ws.delete(&n)?)).await? {
        return Err(ApiError::not_found(format!("no saved plan `{name}`")));
    }
    Ok(Json(json!({ "deleted": name })).into_response())
}

fn attachment(kind: &'static str, file: String, body: String) -> Response {
    ([(header::CONTENT_TYPE, kind.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\""))], body).into_response()
}

/// POST /api/download/{file}: the plan as `partition.csv`, `scenario.toml` or `report.html`.
pub async fn download(S(st): S<Arc<State>>, Path(file): Path<String>, body: Result<Bytes, BytesRejection>) -> Answer {
    let req: ViewRequest = json_body(body)?;
    let e = entry(&st, &req.instance)?;
    let plan = req.plan();
    match file.as_str() {
        "partition.csv" => {
            let part = plan.partition(&e.inst)?;
            Ok(attachment("text/csv; charset=utf-8", file, plan.partition_csv(&e.inst, &part)))
        }
        "scenario.toml" => Ok(attachment("application/toml; charset=utf-8", file, plan.scenario_toml()?)),
        "report.html" => {
            let look = req.look(&e)?;
            let page = blocking(move || {
                let sc = plan.scenario()?;
                let inst = sc.instance(&e.inst).map_err(ApiError::library)?;
                let part = plan.partition(&inst)?;
                let p = crate::Problem::new(&inst, &sc).map_err(ApiError::library)?;
                let r = crate::run_evaluate(&p, &part, None).map_err(ApiError::library)?;
                Ok(crate::report::html::render(look.lang, &r, &p, None))
            }).await?;
            Ok(attachment("text/html; charset=utf-8", file, page))
        }
        _ => Err(ApiError::not_found(format!("no download `{file}`: partition.csv, scenario.toml or report.html"))),
    }
}

/// POST /api/upload/{instance}: a partition CSV (`code,area,hub`) as a plan's assignment.
pub async fn upload(S(st): S<Arc<State>>, Path(name): Path<String>, body: Result<Bytes, BytesRejection>) -> Answer {
    let e = entry(&st, &name)?;
    let bytes = body.map_err(|x| ApiError::new(x.status(), format!("request body: {}", x.body_text())))?;
    let text = crate::text::decode("uploaded partition", bytes.to_vec()).map_err(ApiError::library)?;
    let part = crate::solution::parse_partition("uploaded partition", &text, &e.inst).map_err(ApiError::library)?;
    Ok(Json(Plan::from_partition(&e.name, &e.inst, &part, Default::default())).into_response())
}
