//! The instance: units with attributes and centres, boundaries, adjacency and optional distances.
//!
//! An instance folder holds `units.csv` (required), `boundaries.geojson`, `adjacency.csv`
//! (overrides the adjacency computed from the boundaries), `distances.csv` (a matrix used as is),
//! `partition-2025.csv` and `SOURCES.md`. A `.json` file is read as a networkx adjacency graph
//! (the US county districting benchmarks).

pub mod adjacency;
pub mod distance;
pub mod geometry;
pub mod networkx;
pub mod table;
pub mod units;

use crate::error::{Error, Result};
pub use adjacency::Edge;
use geo::MultiPolygon;
use std::path::{Path, PathBuf};
pub use units::Unit;

/// Where the adjacency of an instance came from.
#[derive(Debug, Clone, PartialEq)]
pub enum AdjacencySource {
    /// Computed from the boundary polygons (shared border of positive length).
    Polygons,
    /// Read from an adjacency CSV, which overrides the polygons.
    File(String),
}

/// A loaded instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Short name (the folder name).
    pub name: String,
    /// The folder it came from (None for the built-in instance).
    pub dir: Option<PathBuf>,
    /// Attribute names; the first three are population, labour_force, jobseekers.
    pub attributes: Vec<String>,
    /// The units.
    pub units: Vec<Unit>,
    /// The file the units were read from (named in messages about unknown codes).
    pub units_file: String,
    /// Boundary polygon per unit, when the instance has boundaries.
    pub boundaries: Option<Vec<Option<MultiPolygon<f64>>>>,
    /// Adjacent pairs.
    pub edges: Vec<Edge>,
    /// Where `edges` came from.
    pub adjacency_source: AdjacencySource,
    /// Edges that `connect_components` added to join the graph's components (unit, unit, whole
    /// km), also in `edges`; empty unless a scenario joined them.
    pub joined: Vec<(usize, usize, f64)>,
    /// A distance matrix supplied with the instance (km or minutes, used as is).
    pub distances: Option<Vec<Vec<f64>>>,
    /// The real partition shipped with the instance, if any (path or built-in text).
    pub partition_2025: Option<(String, String)>,
    /// The instance carries labour force and jobseekers (false for the research graphs, whose
    /// only attribute is population; their labour_force and jobseekers are 0 and not reported).
    pub employment: bool,
}

/// The rows and columns `members` of a square matrix, in that order.
pub fn submatrix<T: Copy>(m: &[Vec<T>], members: &[usize]) -> Vec<Vec<T>> {
    members.iter().map(|&i| members.iter().map(|&j| m[i][j]).collect()).collect()
}

/// The year of an instance's main population, labour_force and jobseekers columns.
pub const BASE_YEAR: u32 = 2022;

/// Index of the population attribute.
pub const POPULATION: usize = 0;
/// Index of the labour_force attribute.
pub const LABOUR_FORCE: usize = 1;
/// Index of the jobseekers attribute.
pub const JOBSEEKERS: usize = 2;

/// The text of the files of one instance, with the names to quote in errors.
pub struct InstanceFiles {
    /// Instance name.
    pub name: String,
    /// (file name, text) of units.csv.
    pub units: (String, String),
    /// boundaries.geojson, if any.
    pub boundaries: Option<(String, String)>,
    /// adjacency.csv, if any.
    pub adjacency: Option<(String, String)>,
    /// distances.csv, if any.
    pub distances: Option<(String, String)>,
    /// partition-2025.csv, if any.
    pub partition: Option<(String, String)>,
}

/// Name of the built-in instance.
pub const BUILTIN: &str = "pohjois-pohjanmaa";

macro_rules! builtin_file {
    ($f:literal) => {
        (concat!("instances/pohjois-pohjanmaa/", $f, " (built in)").to_string(), include_str!(concat!("../../instances/pohjois-pohjanmaa/", $f)).to_string())
    };
}

impl Instance {
    /// The Northern Ostrobothnia instance embedded in the binary.
    pub fn builtin() -> Result<Instance> {
        let files = InstanceFiles {
            name: BUILTIN.to_string(),
            units: builtin_file!("units.csv"),
            boundaries: Some(builtin_file!("boundaries.geojson")),
            adjacency: Some(builtin_file!("adjacency.csv")),
            distances: None,
            partition: Some(builtin_file!("partition-2025.csv")),
        };
        Instance::from_files(files, None)
    }

    /// Load an instance folder (or the built-in one when `path` is None).
    pub fn load(path: Option<&Path>) -> Result<Instance> {
        let Some(path) = path else { return Instance::builtin() };
        if !path.exists() {
            return Err(Error::file(path, "no such instance folder or file"));
        }
        if path.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            return Instance::from_networkx(path);
        }
        let dir = if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
        let read = |name: &str| -> Result<Option<(String, String)>> {
            let p = if !path.is_dir() && name == "units.csv" { path.to_path_buf() } else { dir.join(name) };
            if !p.exists() {
                return Ok(None);
            }
            let text = crate::text::read_text(std::path::Path::new(&p))?;
            Ok(Some((p.display().to_string(), text)))
        };
        let units = read("units.csv")?.ok_or_else(|| Error::file(dir.join("units.csv"), "missing: an instance folder needs units.csv"))?;
        let name = dir.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "instance".into());
        let files = InstanceFiles {
            name,
            units,
            boundaries: read("boundaries.geojson")?,
            adjacency: read("adjacency.csv")?,
            distances: read("distances.csv")?,
            partition: read("partition-2025.csv")?,
        };
        Instance::from_files(files, Some(dir))
    }

    /// Build an instance from file texts.
    pub fn from_files(files: InstanceFiles, dir: Option<PathBuf>) -> Result<Instance> {
        let parsed = units::parse_units(&files.units.0, &files.units.1)?;
        // A code another file names but the units file lacks: say which units file that is.
        let units_file = files.units.0.clone();
        let naming_units = move |e: Error| match e {
            Error::Input { file, line, field, message } if message.starts_with("unknown unit code") => {
                Error::Input { file, line, field, message: format!("{message} (not in {units_file})") }
            }
            e => e,
        };
        let codes: Vec<String> = parsed.units.iter().map(|u| u.code.clone()).collect();
        let boundaries = match &files.boundaries {
            Some((f, t)) => Some(geometry::parse_boundaries(f, t, &codes)?),
            None => None,
        };
        let (edges, adjacency_source) = match (&files.adjacency, &boundaries) {
            (Some((f, t)), _) => (adjacency::parse_adjacency(f, t, &codes).map_err(&naming_units)?, AdjacencySource::File(f.clone())),
            (None, Some(b)) => {
                if let Some(i) = b.iter().position(Option::is_none) {
                    let f = &files.boundaries.as_ref().unwrap().0;
                    return Err(Error::file(f, format!("unit `{}` has no boundary, so adjacency cannot be computed; add it or give adjacency.csv", codes[i])));
                }
                (adjacency::from_polygons(b), AdjacencySource::Polygons)
            }
            (None, None) => {
                return Err(Error::file(&files.units.0, "the instance has neither boundaries.geojson nor adjacency.csv, so adjacency is unknown"));
            }
        };
        let distances = match &files.distances {
            Some((f, t)) => Some(distance::parse_matrix(f, t, &codes).map_err(&naming_units)?),
            None => None,
        };
        Ok(Instance {
            name: files.name,
            dir,
            attributes: parsed.attributes,
            units: parsed.units,
            units_file: files.units.0.clone(),
            boundaries,
            edges,
            adjacency_source,
            joined: Vec::new(),
            distances,
            partition_2025: files.partition,
            employment: true,
        })
    }

    /// A networkx adjacency JSON (US county dual graph): population from `TOTPOP`, centres from
    /// `C_X`/`C_Y`, adjacency as given.
    pub fn from_networkx(path: &Path) -> Result<Instance> {
        let text = crate::text::read_text(std::path::Path::new(path))?;
        let file = path.display().to_string();
        let g = networkx::parse(&file, &text)?;
        let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "graph".into());
        Ok(Instance {
            name,
            dir: path.parent().map(Path::to_path_buf),
            attributes: units::CORE_ATTRIBUTES.iter().map(|s| s.to_string()).collect(),
            units: g.units,
            units_file: file.clone(),
            boundaries: None,
            edges: g.edges,
            adjacency_source: AdjacencySource::File(file),
            joined: Vec::new(),
            distances: None,
            partition_2025: None,
            employment: false,
        })
    }

    /// The instance with the figures of another year: population, labour_force and jobseekers
    /// taken from the `population_YEAR`, `labour_force_YEAR`, `jobseekers_YEAR` columns.
    /// `BASE_YEAR` (the year of the main columns) returns the instance itself.
    pub fn for_year(&self, year: u32) -> Result<std::borrow::Cow<'_, Instance>> {
        if year == BASE_YEAR {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        let mut inst = self.clone();
        let attrs = if self.employment { &units::CORE_ATTRIBUTES[..] } else { &units::CORE_ATTRIBUTES[..1] };
        for (core, name) in attrs.iter().enumerate() {
            let col = format!("{name}_{year}");
            let k = self.attribute(&col).ok_or_else(|| {
                Error::scenario("scenario", "data_year", format!("instance {} has no `{col}` column in units.csv, so data_year = {year} cannot be used (the main columns are {BASE_YEAR})", self.name))
            })?;
            for u in &mut inst.units {
                u.values[core] = u.values[k];
            }
        }
        Ok(std::borrow::Cow::Owned(inst))
    }

    /// Total of one attribute over all units.
    pub fn total(&self, attr: usize) -> f64 {
        self.units.iter().map(|u| u.values[attr]).sum()
    }

    /// Number of units.
    pub fn n(&self) -> usize {
        self.units.len()
    }

    /// The instance induced by `members` (indices into this one, in that order): their units, the
    /// edges among them, their rows and columns of a supplied distance matrix. No boundaries and
    /// no real partition: a working copy for a solve on part of the graph.
    pub fn subset(&self, members: &[usize]) -> Instance {
        let mut at = vec![usize::MAX; self.n()];
        members.iter().enumerate().for_each(|(k, &i)| at[i] = k);
        let edges = self
            .edges
            .iter()
            .filter(|e| at[e.a] != usize::MAX && at[e.b] != usize::MAX)
            .map(|e| adjacency::Edge { a: at[e.a].min(at[e.b]), b: at[e.a].max(at[e.b]), sea_only: e.sea_only })
            .collect();
        Instance {
            name: self.name.clone(),
            dir: None,
            attributes: self.attributes.clone(),
            units: members.iter().map(|&i| self.units[i].clone()).collect(),
            units_file: self.units_file.clone(),
            boundaries: None,
            edges,
            adjacency_source: self.adjacency_source.clone(),
            joined: Vec::new(),
            distances: self.distances.as_ref().map(|d| submatrix(d, members)),
            partition_2025: None,
            employment: self.employment,
        }
    }

    /// Index of an attribute by name.
    pub fn attribute(&self, name: &str) -> Option<usize> {
        self.attributes.iter().position(|a| a == name)
    }

    /// Index of a unit by code.
    pub fn unit(&self, code: &str) -> Option<usize> {
        self.units.iter().position(|u| u.code == code)
    }

    /// Values of one attribute for all units.
    pub fn values(&self, attr: usize) -> Vec<f64> {
        self.units.iter().map(|u| u.values[attr]).collect()
    }
}
