//! `alue serve`: the planners' workbench, a local web server. The page, its fragments and the
//! JSON API are thin layers over the library: a plan ([`plan`]) is evaluated by the same code as
//! `alue evaluate` ([`view`]), solved by `alue solve` itself ([`jobs`]) and drawn by the report's
//! renderer. Bound to 127.0.0.1 by default; on any other address every request must carry the
//! access token printed at start (`?token=`, an `X-Alue-Token` header or the cookie the page sets).

pub mod api;
pub mod catalogue;
pub mod error;
pub mod jobs;
pub mod page;
pub mod plan;
pub mod view;

use crate::error::{Error, Result};
use axum::extract::{Query, Request, State as S};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use catalogue::Catalogue;
use error::ApiError;
use plan::Workspace;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// Largest request body, bytes (a Finland plan is about 20 kB; a partition CSV a few kB).
pub const MAX_BODY: usize = 2 << 20;

/// What `alue serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Instance folders or networkx files besides the built-in and shipped ones.
    pub instances: Vec<PathBuf>,
    /// Address to bind.
    pub host: IpAddr,
    /// Port (0: any free one).
    pub port: u16,
    /// Folder of saved plans.
    pub workspace: PathBuf,
    /// The `alue` executable that solves (this binary).
    pub exe: PathBuf,
    /// Solves run at once (the rest queue).
    pub slots: usize,
}

/// The server's shared state.
pub struct State {
    /// Instances on offer.
    pub catalogue: Catalogue,
    /// Saved plans.
    pub workspace: Workspace,
    /// The solve queue.
    pub jobs: jobs::Jobs,
    /// The access token (None on a loopback address).
    pub token: Option<String>,
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

fn token_of(req: &Request) -> Option<String> {
    let q = req.uri().query().unwrap_or("");
    let from_query = q.split('&').find_map(|kv| kv.strip_prefix("token=")).map(str::to_string);
    let from_header = req.headers().get("x-alue-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let from_cookie = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).and_then(|c| c.split(';').find_map(|kv| kv.trim().strip_prefix("alue_token=")).map(str::to_string));
    from_query.or(from_header).or(from_cookie)
}

/// Equal in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token check and the security headers of every answer.
async fn guard(S(st): S<Arc<State>>, req: Request, next: Next) -> Response {
    if let Some(t) = &st.token {
        if !token_of(&req).is_some_and(|g| same(&g, t)) {
            return ApiError::new(StatusCode::FORBIDDEN, "a missing or wrong access token: open the URL that alue serve printed (it ends in ?token=…)").into_response();
        }
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// GET /: the page (`?instance=NAME&lang=fi|en`).
async fn index(S(st): S<Arc<State>>, Query(q): Query<HashMap<String, String>>) -> std::result::Result<Response, ApiError> {
    let name = q.get("instance").cloned().unwrap_or_else(|| crate::instance::BUILTIN.to_string());
    let e = st.catalogue.get(&name).ok_or_else(|| ApiError::not_found(format!("unknown instance `{name}`")))?;
    let lang = match q.get("lang") {
        Some(l) => crate::report::Lang::parse(l).map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, format!("field `lang`: `{l}` is not a language: fi or en")))?,
        None => crate::report::default_lang(&e.inst),
    };
    let html = page::render(&st.catalogue, &e, lang, st.token.as_deref());
    let mut res = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    if let Some(t) = &st.token {
        if let Ok(v) = HeaderValue::from_str(&format!("alue_token={t}; HttpOnly; SameSite=Strict; Path=/")) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

fn asset(kind: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// The router over a state.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/assets/workbench.js", get(|| async { asset("text/javascript; charset=utf-8", page::SCRIPT.to_string()) }))
        .route("/assets/svg-pan-zoom.min.js", get(|| async { asset("text/javascript; charset=utf-8", page::PAN_ZOOM.to_string()) }))
        .route("/assets/workbench.css", get(|| async { asset("text/css; charset=utf-8", page::style()) }))
        .route("/assets/LICENSES.txt", get(|| async { asset("text/plain; charset=utf-8", format!("svg-pan-zoom 3.6.2, https://github.com/bumbu/svg-pan-zoom\n\n{}", page::PAN_ZOOM_LICENSE)) }))
        .route("/api/instances", get(api::instances))
        .route("/api/instances/{name}", get(api::instance))
        .route("/api/evaluate", post(api::evaluate))
        .route("/api/solve", post(api::solve))
        .route("/api/jobs/{id}", get(api::job))
        .route("/api/jobs/{id}/cancel", post(api::cancel))
        .route("/api/plans", get(api::plans))
        .route("/api/plans/{name}", get(api::plan_get).put(api::plan_put).delete(api::plan_delete))
        .route("/api/download/{file}", post(api::download))
        .route("/api/upload/{instance}", post(api::upload))
        .fallback(|| async { ApiError::not_found("no such page or API route (see the README's API section)") })
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(state)
}

/// A fresh random token (32 hex digits).
fn new_token() -> String {
    use rand::Rng;
    let mut r = rand::rng();
    (0..16).map(|_| format!("{:02x}", r.random::<u8>())).collect()
}

/// Load the instances, bind, print the URL (the first line on stdout) and serve until Ctrl-C.
pub fn run(o: ServeOptions) -> Result<()> {
    let catalogue = Catalogue::load(&o.instances)?;
    let workspace = Workspace::open(&o.workspace)?;
    let token = (!o.host.is_loopback()).then(new_token);
    let jobs = jobs::Jobs::new(o.exe.clone(), o.slots).map_err(|e| Error::Output { file: "temporary folder".into(), message: e.to_string() })?;
    let state = Arc::new(State { catalogue, workspace, jobs, token: token.clone() });
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| Error::Solver(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async move {
        let addr = SocketAddr::new(o.host, o.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Error::file(addr.to_string(), format!("cannot listen: {e}")))?;
        let local = listener.local_addr().map_err(|e| Error::file(addr.to_string(), e.to_string()))?;
        let shown = if local.ip().is_unspecified() { SocketAddr::new(IpAddr::from([127, 0, 0, 1]), local.port()) } else { local };
        // Written so that a closed stdout (a parent that read the URL and left) is no error.
        use std::io::Write;
        let mut out = std::io::stdout();
        let url = match &token {
            Some(t) => format!("http://{shown}/?token={t}"),
            None => format!("http://{shown}/"),
        };
        let _ = writeln!(out, "alue serve: {url}\nworkspace  {}", o.workspace.display());
        let _ = out.flush();
        axum::serve(listener, router(state)).with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; }).await.map_err(|e| Error::Solver(format!("server: {e}")))
    })
}
