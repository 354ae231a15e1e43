//! SVG maps of a partition: one shape per unit filled with its area's colour, area outlines,
//! hubs, names, a legend, a scale bar and ferry links (islands reached only across sea).
//! Coordinates are projected with a local equirectangular projection (x scaled by the cosine of
//! the mean latitude), simplified to a fraction of a pixel and written in tenths of a pixel.

use super::lang::Lang;
use crate::instance::{geometry::dissolve, Instance};
use geo::{Coord, LineString, MapCoords, MultiPolygon, Simplify};
use std::collections::{BTreeMap, BTreeSet};
use maud::{html, Markup, PreEscaped};
use std::fmt::Write;

/// Kilometres per degree of latitude (mean Earth radius 6 371.0088 km).
const KM_PER_DEGREE: f64 = 111.19508;

/// Projection of lon/lat onto the map's pixels.
#[derive(Debug, Clone)]
pub struct Projection {
    lon0: f64,
    cos0: f64,
    lat_max: f64,
    scale: f64,
    pad: f64,
    /// Map width, px.
    pub width: f64,
    /// Map height (without the legend), px.
    pub height: f64,
}

impl Projection {
    /// Fit the instance's boundaries (or its points) into `width` pixels.
    pub fn fit(inst: &Instance, width: f64) -> Projection {
        let mut pts: Vec<(f64, f64)> = Vec::new();
        if let Some(b) = &inst.boundaries {
            for mp in b.iter().flatten() {
                for p in &mp.0 {
                    pts.extend(p.exterior().0.iter().map(|c| (c.x, c.y)));
                }
            }
        }
        if pts.is_empty() {
            pts = inst.units.iter().map(|u| (u.lon, u.lat)).collect();
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for &(x, y) in &pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let cos0 = ((y0 + y1) / 2.0).to_radians().cos();
        let pad = 12.0;
        let w = ((x1 - x0) * cos0).max(1e-9);
        let h = (y1 - y0).max(1e-9);
        let scale = (width - 2.0 * pad) / w;
        Projection { lon0: x0, cos0, lat_max: y1, scale, pad, width, height: h * scale + 2.0 * pad }
    }

    /// Pixel position of a lon/lat point.
    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (self.pad + (lon - self.lon0) * self.cos0 * self.scale, self.pad + (self.lat_max - lat) * self.scale)
    }

    /// Kilometres per pixel.
    pub fn km_per_px(&self) -> f64 {
        KM_PER_DEGREE / self.scale
    }

    fn project(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        mp.map_coords(|c| {
            let (x, y) = self.xy(c.x, c.y);
            Coord { x, y }
        })
    }
}

/// Tenths of a pixel, written without a trailing `.0`.
fn tenths(t: i64, out: &mut String) {
    if t % 10 == 0 {
        let _ = write!(out, "{}", t / 10);
    } else {
        let _ = write!(out, "{}{}.{}", if t < 0 { "-" } else { "" }, (t.abs() / 10), t.abs() % 10);
    }
}

fn ring_path(ring: &LineString<f64>, out: &mut String) {
    let pts: Vec<(i64, i64)> = ring.0.iter().map(|c| ((c.x * 10.0).round() as i64, (c.y * 10.0).round() as i64)).collect();
    if pts.len() < 4 {
        return;
    }
    out.push('M');
    tenths(pts[0].0, out);
    out.push(' ');
    tenths(pts[0].1, out);
    out.push('l');
    let mut prev = pts[0];
    for &(x, y) in &pts[1..pts.len() - 1] {
        let (dx, dy) = (x - prev.0, y - prev.1);
        if dx == 0 && dy == 0 {
            continue;
        }
        if !out.ends_with('l') && dx >= 0 {
            out.push(' ');
        }
        tenths(dx, out);
        if dy >= 0 {
            out.push(' ');
        }
        tenths(dy, out);
        prev = (x, y);
    }
    out.push('z');
}

/// The SVG path data of a projected multipolygon.
fn path_data(mp: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for p in &mp.0 {
        ring_path(p.exterior(), &mut d);
        for r in p.interiors() {
            ring_path(r, &mut d);
        }
    }
    d
}

/// Projected, simplified unit shapes, computed once and drawn in every map of a report.
#[derive(Debug, Clone)]
pub struct Shapes {
    /// The projection.
    pub proj: Projection,
    /// Projected simplified polygons per unit (None: the unit has no polygon).
    pub polygons: Vec<Option<MultiPolygon<f64>>>,
    /// Path data per unit.
    pub paths: Vec<Option<String>>,
    /// Label position per unit, px.
    pub points: Vec<(f64, f64)>,
}

impl Shapes {
    /// Project and simplify the instance's polygons for a map `width` px wide; `tolerance` in px.
    pub fn new(inst: &Instance, width: f64, tolerance: f64) -> Shapes {
        let proj = Projection::fit(inst, width);
        let polygons: Vec<Option<MultiPolygon<f64>>> = match &inst.boundaries {
            Some(b) => b.iter().map(|mp| mp.as_ref().map(|mp| proj.project(mp).simplify(tolerance))).collect(),
            None => vec![None; inst.n()],
        };
        let paths = polygons.iter().map(|p| p.as_ref().map(path_data)).collect();
        let points = inst.units.iter().map(|u| proj.xy(u.lon, u.lat)).collect();
        Shapes { proj, polygons, paths, points }
    }
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// `id` of the `<svg>` element.
    pub id: String,
    /// A heading drawn at the top (empty: none).
    pub title: String,
    /// Draw unit names (all units when true; hubs only when false).
    pub labels: bool,
    /// Draw the legend.
    pub legend: bool,
    /// Stand-alone file (XML declaration and namespace, embedded style).
    pub standalone: bool,
}

/// The colour scheme of the area fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    /// Distinct light colours, one per area (ColorBrewer Set3, then golden-angle hues).
    #[default]
    Distinct,
    /// Paul Tol's "light" scheme, which stays distinguishable under the common colour-vision
    /// deficiencies; its nine colours are reused, never by two neighbouring areas.
    ColourBlind,
}

impl Palette {
    /// `distinct` or `colourblind`.
    pub fn parse(s: &str) -> Option<Palette> {
        match s {
            "distinct" | "" => Some(Palette::Distinct),
            "colourblind" | "colorblind" => Some(Palette::ColourBlind),
            _ => None,
        }
    }
}

/// Paul Tol's light qualitative scheme (personal.sron.nl/~pault, "light").
const TOL_LIGHT: [&str; 9] = ["#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#DDDDDD"];

/// Areas that share a border, by hub.
fn area_neighbours(inst: &Instance, hub_of: &[usize]) -> BTreeMap<usize, BTreeSet<usize>> {
    let mut neighbours: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for e in &inst.edges {
        let (a, b) = (hub_of[e.a], hub_of[e.b]);
        if a != b {
            neighbours.entry(a).or_default().insert(b);
            neighbours.entry(b).or_default().insert(a);
        }
    }
    neighbours
}

/// Colours for the areas of `hub_of` in a scheme: `Distinct` as [`area_colours`]; `ColourBlind`
/// colours the area graph greedily with Tol's scheme (the least-used colour no neighbour has;
/// areas already in `given` keep theirs).
pub fn area_colours_in(inst: &Instance, hub_of: &[usize], scheme: Palette, given: &BTreeMap<usize, String>) -> BTreeMap<usize, String> {
    if scheme == Palette::Distinct && given.is_empty() {
        return area_colours(inst, hub_of);
    }
    let neighbours = area_neighbours(inst, hub_of);
    let hubs: BTreeSet<usize> = hub_of.iter().copied().collect();
    let mut out: BTreeMap<usize, String> = given.iter().filter(|(h, _)| hubs.contains(h)).map(|(h, c)| (*h, c.clone())).collect();
    let scheme: Vec<String> = match scheme {
        Palette::ColourBlind => TOL_LIGHT.iter().map(|c| c.to_lowercase()).collect(),
        Palette::Distinct => palette(hubs.len() + given.len()).into_iter().map(hex).filter(|c| !given.values().any(|g| g == c)).collect(),
    };
    let mut order: Vec<usize> = hubs.iter().copied().filter(|h| !out.contains_key(h)).collect();
    order.sort_by_key(|h| (std::cmp::Reverse(neighbours.get(h).map_or(0, |s| s.len())), *h));
    for h in order {
        let near: BTreeSet<&String> = neighbours.get(&h).map(|s| s.iter().filter_map(|x| out.get(x)).collect()).unwrap_or_default();
        let uses = |c: &String| out.values().filter(|x| *x == c).count();
        let pick = scheme.iter().filter(|c| !near.contains(c)).min_by_key(|c| uses(c)).or_else(|| scheme.iter().min_by_key(|c| uses(c))).cloned().unwrap_or_else(|| "#cccccc".into());
        out.insert(h, pick);
    }
    out
}

/// Colours for the areas of `hub_of`: distinct, and neighbouring areas far apart in hue.
pub fn area_colours(inst: &Instance, hub_of: &[usize]) -> BTreeMap<usize, String> {
    let hubs: Vec<usize> = hub_of.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let palette = palette(hubs.len());
    let neighbours = area_neighbours(inst, hub_of);
    // Most-constrained areas first; each takes the free colour farthest from its neighbours'.
    let mut order = hubs.clone();
    order.sort_by_key(|h| (std::cmp::Reverse(neighbours.get(h).map_or(0, |s| s.len())), *h));
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut used = vec![false; palette.len()];
    for h in order {
        let near: Vec<usize> = neighbours.get(&h).map(|s| s.iter().filter_map(|x| taken.get(x).copied()).collect()).unwrap_or_default();
        let best = (0..palette.len())
            .filter(|&c| !used[c])
            .max_by(|&a, &b| {
                let score = |c: usize| near.iter().map(|&o| colour_distance(&palette[c], &palette[o])).fold(f64::INFINITY, f64::min);
                score(a).total_cmp(&score(b)).then(b.cmp(&a))
            })
            .expect("palette has a colour per area");
        used[best] = true;
        taken.insert(h, best);
    }
    taken.into_iter().map(|(h, c)| (h, hex(palette[c]))).collect()
}

/// Match the areas of a second partition to those of the first: each second-partition area (by
/// hub) gets the first-partition area it shares most labour force (or units) with, largest
/// overlaps first, each first area used once; None when all it overlaps are taken.
pub fn match_areas(inst: &Instance, hub_of_first: &[usize], hub_of: &[usize]) -> BTreeMap<usize, Option<usize>> {
    let weight = |i: usize| inst.units[i].values.get(crate::instance::LABOUR_FORCE).copied().unwrap_or(0.0).max(0.0) + 1e-6;
    let mut overlap: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for i in 0..hub_of.len() {
        *overlap.entry((hub_of[i], hub_of_first[i])).or_default() += weight(i);
    }
    let mut pairs: Vec<((usize, usize), f64)> = overlap.into_iter().collect();
    pairs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: BTreeMap<usize, Option<usize>> = hub_of.iter().map(|&h| (h, None)).collect();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for ((h, f), _) in pairs {
        if out[&h].is_some() || used.contains(&f) {
            continue;
        }
        used.insert(f);
        out.insert(h, Some(f));
    }
    out
}

/// Colours for a second partition, matched to the first (`match_areas`): a matched area keeps
/// its partner's colour, the others get colours the first partition does not use.
pub fn matched_colours(inst: &Instance, first: &BTreeMap<usize, String>, hub_of_first: &[usize], hub_of: &[usize]) -> BTreeMap<usize, String> {
    matched_colours_in(inst, first, hub_of_first, hub_of, Palette::Distinct)
}

/// As [`matched_colours`], in a scheme: under `ColourBlind` the unmatched areas are coloured
/// from the scheme around the matched ones.
pub fn matched_colours_in(inst: &Instance, first: &BTreeMap<usize, String>, hub_of_first: &[usize], hub_of: &[usize], scheme: Palette) -> BTreeMap<usize, String> {
    let matching = match_areas(inst, hub_of_first, hub_of);
    if scheme == Palette::ColourBlind {
        let given: BTreeMap<usize, String> = matching.iter().filter_map(|(h, m)| m.and_then(|f| first.get(&f)).map(|c| (*h, c.clone()))).collect();
        return area_colours_in(inst, hub_of, scheme, &given);
    }
    let hubs = matching.len();
    let mut spare = palette(first.len() + hubs).into_iter().map(hex).filter(|c| !first.values().any(|x| x == c));
    matching
        .into_iter()
        .map(|(h, m)| (h, m.and_then(|f| first.get(&f).cloned()).unwrap_or_else(|| spare.next().unwrap_or_else(|| "#cccccc".into()))))
        .collect()
}

type Rgb = (f64, f64, f64);

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", (c.0 * 255.0).round() as u8, (c.1 * 255.0).round() as u8, (c.2 * 255.0).round() as u8)
}

fn colour_distance(a: &Rgb, b: &Rgb) -> f64 {
    ((a.0 - b.0).powi(2) * 0.3 + (a.1 - b.1).powi(2) * 0.59 + (a.2 - b.2).powi(2) * 0.11).sqrt()
}

fn hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = (h.rem_euclid(360.0)) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    (r + m, g + m, b + m)
}

/// `n` distinct light colours: a qualitative palette (ColorBrewer Set3-like) for up to 12, then
/// golden-angle hues in three lightness bands.
fn palette(n: usize) -> Vec<Rgb> {
    const BASE: [&str; 12] = ["8dd3c7", "ffffb3", "bebada", "fb8072", "80b1d3", "fdb462", "b3de69", "fccde5", "bc80bd", "ccebc5", "ffed6f", "d9d9d9"];
    let mut out: Vec<Rgb> = BASE
        .iter()
        .map(|h| {
            let v = u32::from_str_radix(h, 16).expect("palette hex");
            (((v >> 16) & 255) as f64 / 255.0, ((v >> 8) & 255) as f64 / 255.0, (v & 255) as f64 / 255.0)
        })
        .collect();
    let mut k = 0;
    while out.len() < n {
        let l = [0.72, 0.60, 0.82][k % 3];
        let c = hsl(k as f64 * 137.508, 0.55, l);
        if !out.iter().any(|o| hex(*o) == hex(c)) {
            out.push(c);
        }
        k += 1;
    }
    out.truncate(n.max(1));
    out
}

/// A unit reached only across sea (all of its edges sea-only), and the unit its ferry link lands
/// on: the hub if adjacent, else a sea neighbour in the same area, else the nearest.
pub fn ferry_links(inst: &Instance, hub_of: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..inst.n() {
        let es: Vec<_> = inst.edges.iter().filter(|e| e.a == i || e.b == i).collect();
        if es.is_empty() || es.iter().any(|e| !e.sea_only) {
            continue;
        }
        let others: Vec<usize> = es.iter().map(|e| if e.a == i { e.b } else { e.a }).collect();
        let d = |j: usize| {
            let (a, b) = (&inst.units[i], &inst.units[j]);
            ((a.lat - b.lat).powi(2) + ((a.lon - b.lon) * a.lat.to_radians().cos()).powi(2)).sqrt()
        };
        let pick = others
            .iter()
            .copied()
            .min_by(|&a, &b| {
                let key = |j: usize| (j != hub_of[i], hub_of[j] != hub_of[i]);
                key(a).cmp(&key(b)).then(d(a).total_cmp(&d(b)))
            })
            .expect("an island has a neighbour");
        out.push((i, pick));
    }
    out
}

fn nice_length(max_km: f64) -> f64 {
    let mut best = 1.0;
    for base in [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0] {
        if base <= max_km {
            best = base;
        }
    }
    best
}

/// The map of one partition as an `<svg>` element. `colour` maps hubs to fills; `names` hubs to
/// area names. Every name and code goes through maud, which escapes it.
#[allow(clippy::too_many_arguments)]
pub fn render(inst: &Instance, shapes: &Shapes, hub_of: &[usize], colour: &BTreeMap<usize, String>, names: &BTreeMap<usize, String>, lang: Lang, o: &MapOptions) -> Markup {
    let proj = &shapes.proj;
    let top = if o.title.is_empty() { 0.0 } else { 22.0 };
    let hubs: Vec<usize> = hub_of.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let legend_cols = ((proj.width / 190.0).floor() as usize).max(1);
    let legend_rows = if o.legend { hubs.len().div_ceil(legend_cols) + 1 } else { 0 };
    let legend_h = if o.legend { 10.0 + 17.0 * legend_rows as f64 } else { 0.0 };
    let height = top + proj.height + 26.0 + legend_h;
    let f0 = |x: f64| format!("{x:.0}");
    let fill_of = |h: usize| colour.get(&h).cloned().unwrap_or_else(|| "#ccc".into());
    let area_of = |h: usize| names.get(&h).cloned().unwrap_or_else(|| inst.units[h].name.clone());
    html! {
        @if o.standalone { (PreEscaped("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")) }
        svg xmlns="http://www.w3.org/2000/svg" id=(o.id) class="map" viewBox={"0 0 " (f0(proj.width)) " " (f0(height))} width=(f0(proj.width)) height=(f0(height))
            role="img" aria-label=(if o.title.is_empty() { lang.t("map") } else { &o.title }) font-family="sans-serif" {
            style { (PreEscaped(MAP_STYLE)) }
            @if !o.title.is_empty() {
                text x=(f0(proj.pad)) y="16" class="lg" font-weight="bold" font-size="13" { (o.title) }
            }
            g transform={"translate(0 " (top) ")"} {
                (units(inst, shapes, hub_of, &fill_of, &area_of))
                (outlines(inst, shapes, hub_of, &hubs))
                (ferries_and_hubs(inst, shapes, hub_of, lang, o))
                (scale_bar(proj, lang))
                @if o.legend {
                    (legend(proj, &hubs, legend_cols, legend_rows, &fill_of, &area_of, lang, !ferry_links(inst, hub_of).is_empty()))
                }
            }
        }
    }
}

/// The map's style (constant text).
const MAP_STYLE: &str = ".unit{stroke:#fff;stroke-width:.6}.outline{fill:none;stroke:#333;stroke-width:1.4;stroke-linejoin:round}.lbl{font-size:9px;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:2.2px;stroke-linejoin:round}.hublbl{font-weight:bold;font-size:10px}.ferry{stroke:#1f4e99;stroke-width:1.6;stroke-dasharray:4 3;fill:none}.hub{fill:#fff;stroke:#111;stroke-width:1.6}.pt{stroke:#fff;stroke-width:.6}.lg{font-size:11px;fill:#222}";

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

/// One shape per unit in its area's colour, with a tooltip.
fn units(inst: &Instance, shapes: &Shapes, hub_of: &[usize], fill_of: &dyn Fn(usize) -> String, area_of: &dyn Fn(usize) -> String) -> Markup {
    html! {
        g class="units" {
            @for (i, u) in inst.units.iter().enumerate() {
                @let h = hub_of[i];
                @let title = format!("{} ({}): {}", u.name, u.code, area_of(h));
                @match &shapes.paths[i] {
                    Some(d) => {
                        path class="unit" data-code=(u.code) data-area=(inst.units[h].code) fill=(fill_of(h)) fill-rule="evenodd" d=(d) { title { (title) } }
                    }
                    None => {
                        @let (x, y) = shapes.points[i];
                        circle class="unit pt" data-code=(u.code) data-area=(inst.units[h].code) fill=(fill_of(h)) cx=(f1(x)) cy=(f1(y)) r="5" { title { (title) } }
                    }
                }
            }
        }
    }
}

/// The outline of every area (exteriors only: a hole is another area, whose own outline draws
/// it, and the slivers between neighbouring polygons would otherwise show as stray lines).
fn outlines(inst: &Instance, shapes: &Shapes, hub_of: &[usize], hubs: &[usize]) -> Markup {
    if !shapes.polygons.iter().any(Option::is_some) {
        return html! {};
    }
    html! {
        g class="outlines" {
            @for &h in hubs {
                @let parts: Vec<&MultiPolygon<f64>> = (0..inst.n()).filter(|&i| hub_of[i] == h).filter_map(|i| shapes.polygons[i].as_ref()).collect();
                @if !parts.is_empty() {
                    @let outline = MultiPolygon(dissolve(parts.into_iter()).0.into_iter().map(|p| geo::Polygon::new(p.exterior().clone(), vec![])).collect());
                    path class="outline" data-area=(inst.units[h].code) d=(path_data(&outline)) {}
                }
            }
        }
    }
}

/// Ferry links, hub rings and names.
fn ferries_and_hubs(inst: &Instance, shapes: &Shapes, hub_of: &[usize], lang: Lang, o: &MapOptions) -> Markup {
    html! {
        @for (i, j) in ferry_links(inst, hub_of) {
            @let ((x1, y1), (x2, y2)) = (shapes.points[i], shapes.points[j]);
            line class="ferry" x1=(f1(x1)) y1=(f1(y1)) x2=(f1(x2)) y2=(f1(y2)) { title { (lang.t("ferry")) ": " (inst.units[i].name) " – " (inst.units[j].name) } }
        }
        @for (i, u) in inst.units.iter().enumerate() {
            @let (x, y) = shapes.points[i];
            @let is_hub = hub_of[i] == i;
            @if is_hub {
                circle class="hub" data-code=(u.code) cx=(f1(x)) cy=(f1(y)) r="3.6" {}
            }
            @if o.labels || is_hub {
                text class=(if is_hub { "lbl hublbl" } else { "lbl" }) x=(f1(x)) y=(f1(y + if is_hub { -6.0 } else { 3.0 })) text-anchor="middle" { (u.name) }
            }
        }
    }
}

/// A scale bar of a round length about a quarter of the map's width.
fn scale_bar(proj: &Projection, lang: Lang) -> Markup {
    let km = nice_length(proj.km_per_px() * proj.width * 0.25);
    let len = km / proj.km_per_px();
    let (bx, by) = (proj.pad, proj.height + 14.0);
    html! {
        g class="scale" {
            path d={"M" (f1(bx)) " " (f1(by - 4.0)) "v4h" (f1(len)) "v-4"} fill="none" stroke="#222" stroke-width="1.2" {}
            text class="lg" x=(f1(bx + len + 5.0)) y=(f1(by + 4.0)) { (lang.unit(km, 0, lang.t("scale_km"))) }
        }
    }
}

/// The legend: one swatch per area (sorted by name), the hub marker and the ferry line.
#[allow(clippy::too_many_arguments)]
fn legend(proj: &Projection, hubs: &[usize], cols: usize, rows: usize, fill_of: &dyn Fn(usize) -> String, area_of: &dyn Fn(usize) -> String, lang: Lang, ferries: bool) -> Markup {
    let y0 = proj.height + 30.0;
    let colw = (proj.width - 2.0 * proj.pad) / cols as f64;
    let mut items: Vec<(usize, String)> = hubs.iter().map(|&h| (h, area_of(h))).collect();
    items.sort_by(|a, b| a.1.cmp(&b.1));
    let (x, y) = (proj.pad, y0 + (rows - 1) as f64 * 17.0);
    let fx = x + colw.max(150.0);
    html! {
        g class="legend" {
            @for (k, (h, name)) in items.iter().enumerate() {
                @let (lx, ly) = (proj.pad + (k % cols) as f64 * colw, y0 + (k / cols) as f64 * 17.0);
                rect x=(f1(lx)) y=(f1(ly)) width="14" height="11" fill=(fill_of(*h)) stroke="#333" stroke-width=".6" {}
                text class="lg" x=(f1(lx + 19.0)) y=(f1(ly + 9.5)) { (truncate(name, 36)) }
            }
            circle class="hub" cx=(f1(x + 7.0)) cy=(f1(y + 5.5)) r="3.6" {}
            text class="lg" x=(f1(x + 19.0)) y=(f1(y + 9.5)) { (lang.t("hub_marker")) }
            @if ferries {
                line class="ferry" x1=(f1(fx)) y1=(f1(y + 5.5)) x2=(f1(fx + 16.0)) y2=(f1(y + 5.5)) {}
                text class="lg" x=(f1(fx + 21.0)) y=(f1(y + 9.5)) { (lang.t("ferry")) }
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_is_distinct_for_many_areas() {
        for n in [1, 5, 12, 13, 45, 100] {
            let p: BTreeSet<String> = palette(n).into_iter().map(hex).collect();
            assert_eq!(p.len(), n);
        }
    }

    #[test]
    fn relative_path_returns_to_its_start() {
        let ring = LineString::from(vec![(0.0, 0.0), (10.04, 0.0), (10.04, 5.55), (0.0, 5.55), (0.0, 0.0)]);
        let mut d = String::new();
        ring_path(&ring, &mut d);
        assert_eq!(d, "M0 0l10 0 0 5.6-10 0z");
    }
}
