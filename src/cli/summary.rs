//! What a finished command prints and writes: the terminal summary, the output files and the report.

use crate::Common;
use alue::output::{terminal, write_all};
use alue::Problem;

/// Print the summary and, with `--out`, write the output files; with `--report`, the HTML page.
pub fn report(result: &alue::RunResult, p: &Problem, c: &Common) -> alue::Result<()> {
    print!("{}", terminal::render(result, p));
    let lang = match &c.lang {
        Some(l) => alue::report::Lang::parse(l)?,
        None => alue::report::default_lang(p.inst),
    };
    let page = c.report.then(|| alue::report::html::render(lang, result, p, None));
    if let Some(dir) = &c.out {
        for f in write_all(dir, result, p, lang)? {
            println!("wrote      {f}");
        }
    }
    if let Some(page) = page {
        let path = c.out.clone().unwrap_or_default().join("report.html");
        alue::output::write_atomic(&path, page.as_bytes())?;
        println!("wrote      {}", path.display());
    }
    Ok(())
}
