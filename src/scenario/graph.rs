//! What a scenario makes of an instance's data before the problem is built: the figures of its
//! data year, its distances, and with `connect_components` the graph joined into one component.

use super::Scenario;
use crate::error::{Error, Result};
use std::path::Path;

impl Scenario {
    /// The instance with the figures of this scenario's `data_year`; an error names where that
    /// key was set.
    /// With `connect_components`, its graph is joined (see `adjacency::join_components`): the
    /// joined graph is the graph E of MODEL.md for the run, in the model, the validator and export.
    pub fn instance<'a>(&self, inst: &'a crate::instance::Instance) -> Result<std::borrow::Cow<'a, crate::instance::Instance>> {
        let inst = inst.for_year(self.data_year).map_err(|e| match e {
            Error::Scenario { key, message, .. } => Error::Scenario { origin: self.origin(&key), key, message },
            e => e,
        })?;
        if !self.connect_components {
            return Ok(inst);
        }
        let d = self.distances(&inst)?;
        let joined = crate::instance::adjacency::join_components(inst.n(), &inst.edges, self.sea_edges, |i, j| d[i][j]);
        if joined.is_empty() {
            return Ok(inst);
        }
        let mut owned = inst.into_owned();
        for &(a, b, _) in &joined {
            owned.edges.push(crate::instance::adjacency::Edge { a, b, sea_only: false });
        }
        owned.edges.sort_by_key(|e| (e.a, e.b));
        owned.joined = joined;
        Ok(std::borrow::Cow::Owned(owned))
    }

    /// A key of what `instance` makes of an instance under this scenario: scenarios with the same
    /// key share it (a sweep builds it once per key).
    pub fn graph_key(&self) -> String {
        if self.connect_components {
            format!("{}|joined|{}|{}|{:?}", self.data_year, self.detour_factor.to_bits(), self.sea_edges, self.distance_matrix)
        } else {
            self.data_year.to_string()
        }
    }

    /// Distances d(i,j) used by the scenario, km: its matrix file, else the instance's, else
    /// great-circle × detour factor.
    pub fn distances(&self, inst: &crate::instance::Instance) -> Result<Vec<Vec<f64>>> {
        use crate::instance::distance;
        if let Some(path) = &self.distance_matrix {
            let text = crate::text::read_text(Path::new(path))?;
            let codes: Vec<String> = inst.units.iter().map(|u| u.code.clone()).collect();
            return distance::parse_matrix(path, &text, &codes);
        }
        if let Some(d) = &inst.distances {
            return Ok(d.clone());
        }
        let centres: Vec<(f64, f64)> = inst.units.iter().map(|u| (u.lat, u.lon)).collect();
        let mut d = distance::great_circle_matrix(&centres);
        d.iter_mut().flatten().for_each(|x| *x *= self.detour_factor);
        Ok(d)
    }

}
