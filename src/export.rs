//! `alue export`: the exact MIP of an instance and scenario as an MPS or LP file, for Gurobi,
//! CPLEX or any other solver. Contiguity is written as the compact single-commodity flow
//! formulation (plus the neighbourhood separators), which is exact without a cut loop. The exact
//! reductions of `Problem` (pairs and hubs that cannot occur in any feasible partition) are applied.

use crate::error::{Error, Result};
use crate::model;
use crate::problem::Problem;
use std::ffi::CString;
use std::path::Path;

/// The two file formats HiGHS writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Free MPS.
    Mps,
    /// CPLEX LP format.
    Lp,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Mps => "mps",
            Format::Lp => "lp",
        }
    }
}

/// Column names that say what each column is: x_UNIT_HUB, s_HUB, e_HUB, f_HUB_FROM_TO.
fn name_columns(m: &mut highs::Model, p: &Problem, v: &model::Vars) -> Result<()> {
    let code = |i: usize| p.inst.units[i].code.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let mut names: Vec<(usize, String)> = Vec::new();
    for (i, row) in v.x.iter().enumerate() {
        for (j, x) in row.iter().enumerate() {
            if let Some(x) = x {
                names.push((x.col, format!("x_{}_{}", code(i), code(j))));
            }
        }
    }
    for j in 0..p.n {
        if let Some(s) = v.s[j] {
            names.push((s.col, format!("s_{}", code(j))));
        }
        if let Some(e) = v.e[j] {
            names.push((e.col, format!("e_{}", code(j))));
        }
    }
    for &(j, a, b, f) in &v.flow {
        names.push((f.col, format!("f_{}_{}_{}", code(j), code(a), code(b))));
    }
    for (col, name) in names {
        let c = CString::new(name).map_err(|_| Error::Solver("a column name holds a NUL byte".into()))?;
        // SAFETY: a valid column index of the live model and a NUL-terminated name.
        unsafe { highs_sys::Highs_passColName(m.as_mut_ptr(), col as highs_sys::HighsInt, c.as_ptr()) };
    }
    Ok(())
}

/// Write the model of `p` to `path` (written beside it first, then renamed into place).
pub fn export(p: &Problem, format: Format, path: &Path) -> Result<()> {
    let built = model::build(p, true);
    let mut m = built.highs;
    m.make_quiet();
    name_columns(&mut m, p, &built.vars)?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let err = |e: String| Error::Output { file: path.display().to_string(), message: e };
    let tmp = tempfile::Builder::new().suffix(&format!(".{}", format.extension())).tempfile_in(dir).map_err(|e| err(e.to_string()))?;
    let tmp_path = tmp.path().to_path_buf();
    let c = CString::new(tmp_path.display().to_string()).map_err(|_| err("path holds a NUL byte".into()))?;
    // SAFETY: the live model and a NUL-terminated file name.
    let status = unsafe { highs_sys::Highs_writeModel(m.as_mut_ptr(), c.as_ptr()) };
    if status == highs_sys::STATUS_ERROR {
        return Err(err("HiGHS could not write the model".into()));
    }
    crate::output::readable(&tmp_path).map_err(|e| err(e.to_string()))?;
    tmp.persist(path).map_err(|e| err(e.error.to_string()))?;
    Ok(())
}
