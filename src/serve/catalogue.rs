//! The instances the workbench offers: the built-in one, the shipped Finnish instances that have
//! boundaries, and those named on the command line; each loaded once, with its map shapes.

use crate::error::{Error, Result};
use crate::report::map::Shapes;
use crate::solution::PartitionFile;
use crate::Instance;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Width of the workbench's map, px.
pub const MAP_WIDTH: f64 = 620.0;

/// The shipped Finnish instances with boundaries, besides the built-in one.
const SHIPPED: &[&str] = &["pohjois-pohjanmaa-kainuu", "finland"];

/// One instance on offer.
pub struct Entry {
    /// The name it is listed and requested under.
    pub name: String,
    /// Its folder or file (None: the built-in instance).
    pub path: Option<PathBuf>,
    /// The data.
    pub inst: Instance,
    /// Projected shapes for the workbench's map.
    pub shapes: Shapes,
    /// The real 2025 partition, when the instance ships one.
    pub partition_2025: Option<PartitionFile>,
}

/// Every instance on offer, by name.
#[derive(Clone, Default)]
pub struct Catalogue {
    entries: BTreeMap<String, Arc<Entry>>,
}

fn entry(name: String, path: Option<PathBuf>) -> Result<Entry> {
    let inst = Instance::load(path.as_deref())?;
    let partition_2025 = inst.partition_2025.as_ref().map(|(f, t)| crate::solution::parse_partition(f, t, &inst)).transpose()?;
    let shapes = Shapes::new(&inst, MAP_WIDTH, 0.35);
    Ok(Entry { name, path, inst, shapes, partition_2025 })
}

/// Where the shipped instances are: `instances/` in the current folder, else in the source tree
/// this binary was built from.
fn shipped_dir(name: &str) -> Option<PathBuf> {
    [PathBuf::from("instances"), Path::new(env!("CARGO_MANIFEST_DIR")).join("instances")]
        .into_iter()
        .map(|d| d.join(name))
        .find(|d| d.join("units.csv").exists() && d.join("boundaries.geojson").exists())
}

impl Catalogue {
    /// The built-in instance, the shipped ones found on disk and `extra` (folders or networkx
    /// files; a name already taken gets its parent folder's name in front).
    pub fn load(extra: &[PathBuf]) -> Result<Catalogue> {
        let mut c = Catalogue::default();
        c.add(entry(crate::instance::BUILTIN.to_string(), None)?);
        for name in SHIPPED {
            if let Some(d) = shipped_dir(name) {
                c.add(entry(name.to_string(), Some(d))?);
            }
        }
        for p in extra {
            let stem = p.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "instance".into());
            let already = c.entries.values().any(|e| e.path.as_ref().and_then(|q| q.canonicalize().ok()) == p.canonicalize().ok());
            if already {
                continue;
            }
            let mut name = stem.clone();
            if c.entries.contains_key(&name) {
                let parent = p.parent().and_then(|q| q.file_name()).map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
                name = format!("{parent}-{stem}");
            }
            if c.entries.contains_key(&name) {
                return Err(Error::file(p, format!("another instance is already called `{name}`")));
            }
            c.add(entry(name, Some(p.clone()))?);
        }
        Ok(c)
    }

    fn add(&mut self, e: Entry) {
        self.entries.insert(e.name.clone(), Arc::new(e));
    }

    /// The instance called `name`.
    pub fn get(&self, name: &str) -> Option<Arc<Entry>> {
        self.entries.get(name).cloned()
    }

    /// Every instance, by name.
    pub fn all(&self) -> impl Iterator<Item = &Arc<Entry>> {
        self.entries.values()
    }
}

impl Entry {
    /// The partition a new plan starts from: the real 2025 one, else every unit on its own.
    pub fn start(&self) -> PartitionFile {
        self.partition_2025.clone().unwrap_or_else(|| {
            let hub_of: Vec<usize> = (0..self.inst.n()).collect();
            let names = (0..self.inst.n()).map(|i| (i, self.inst.units[i].name.clone())).collect();
            PartitionFile { hub_of, names }
        })
    }
}
