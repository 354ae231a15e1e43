//! SVG maps of a partition: one shape per unit filled with its area's colour, area outlines,
//! hubs, names, a legend, a scale bar and ferry links (islands reached only across sea).
//! Coordinates are projected with a local equirectangular projection (x scaled by the cosine of
//! the mean latitude), simplified to a fraction of a pixel and written in tenths of a pixel.

use super::lang::Lang;
use crate::instance::{geometry::dissolve, Instance};
use geo::{Coord, LineString, MapCoords, MultiPolygon, Simplify};
use std::collections::{BTreeMap, BTreeSet};
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

/// Escape text for XML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Colours for the areas of `hub_of`: distinct, and neighbouring areas far apart in hue.
pub fn area_colours(inst: &Instance, hub_of: &[usize]) -> BTreeMap<usize, String> {
    let hubs: Vec<usize> = hub_of.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let palette = palette(hubs.len());
    let mut neighbours: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for e in &inst.edges {
        let (a, b) = (hub_of[e.a], hub_of[e.b]);
        if a != b {
            neighbours.entry(a).or_default().insert(b);
            neighbours.entry(b).or_default().insert(a);
        }
    }
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
    let matching = match_areas(inst, hub_of_first, hub_of);
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
/// area names.
#[allow(clippy::too_many_arguments)]
pub fn render(inst: &Instance, shapes: &Shapes, hub_of: &[usize], colour: &BTreeMap<usize, String>, names: &BTreeMap<usize, String>, lang: Lang, o: &MapOptions) -> String {
    let proj = &shapes.proj;
    let top = if o.title.is_empty() { 0.0 } else { 22.0 };
    let hubs: Vec<usize> = hub_of.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let legend_cols = ((proj.width / 190.0).floor() as usize).max(1);
    let legend_rows = if o.legend { hubs.len().div_ceil(legend_cols) + 1 } else { 0 };
    let legend_h = if o.legend { 10.0 + 17.0 * legend_rows as f64 } else { 0.0 };
    let height = top + proj.height + 26.0 + legend_h;
    let mut s = String::new();
    if o.standalone {
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" class=\"map\" viewBox=\"0 0 {:.0} {:.0}\" width=\"{:.0}\" height=\"{:.0}\" role=\"img\" aria-label=\"{}\" font-family=\"sans-serif\">",
        esc(&o.id), proj.width, height, proj.width, height, esc(if o.title.is_empty() { lang.t("map") } else { &o.title })
    );
    s.push_str("<style>.unit{stroke:#fff;stroke-width:.6}.outline{fill:none;stroke:#333;stroke-width:1.4;stroke-linejoin:round}.lbl{font-size:9px;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:2.2px;stroke-linejoin:round}.hublbl{font-weight:bold;font-size:10px}.ferry{stroke:#1f4e99;stroke-width:1.6;stroke-dasharray:4 3;fill:none}.hub{fill:#fff;stroke:#111;stroke-width:1.6}.pt{stroke:#fff;stroke-width:.6}.lg{font-size:11px;fill:#222}</style>");
    if !o.title.is_empty() {
        let _ = write!(s, "<text x=\"{:.0}\" y=\"16\" class=\"lg\" font-weight=\"bold\" font-size=\"13\">{}</text>", proj.pad, esc(&o.title));
    }
    let _ = write!(s, "<g transform=\"translate(0 {top})\">");
    // Units.
    s.push_str("<g class=\"units\">");
    for (i, u) in inst.units.iter().enumerate() {
        let h = hub_of[i];
        let fill = colour.get(&h).map(String::as_str).unwrap_or("#ccc");
        let area = names.get(&h).cloned().unwrap_or_else(|| inst.units[h].name.clone());
        let title = format!("{} ({}): {}", u.name, u.code, area);
        match &shapes.paths[i] {
            Some(d) => {
                let _ = write!(s, "<path class=\"unit\" data-code=\"{}\" data-area=\"{}\" fill=\"{fill}\" fill-rule=\"evenodd\" d=\"{d}\"><title>{}</title></path>", esc(&u.code), esc(&inst.units[h].code), esc(&title));
            }
            None => {
                let (x, y) = shapes.points[i];
                let _ = write!(s, "<circle class=\"unit pt\" data-code=\"{}\" data-area=\"{}\" fill=\"{fill}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\"><title>{}</title></circle>", esc(&u.code), esc(&inst.units[h].code), esc(&title));
            }
        }
    }
    s.push_str("</g>");
    // Area outlines.
    if shapes.polygons.iter().any(Option::is_some) {
        s.push_str("<g class=\"outlines\">");
        for &h in &hubs {
            let parts: Vec<&MultiPolygon<f64>> = (0..inst.n()).filter(|&i| hub_of[i] == h).filter_map(|i| shapes.polygons[i].as_ref()).collect();
            if parts.is_empty() {
                continue;
            }
            // Only the exteriors: a hole is another area, whose own outline draws it, and the
            // slivers between neighbouring polygons would otherwise show as stray lines.
            let outline = MultiPolygon(dissolve(parts.into_iter()).0.into_iter().map(|p| geo::Polygon::new(p.exterior().clone(), vec![])).collect());
            let d = path_data(&outline);
            let _ = write!(s, "<path class=\"outline\" data-area=\"{}\" d=\"{d}\"/>", esc(&inst.units[h].code));
        }
        s.push_str("</g>");
    }
    // Ferry links.
    let ferries = ferry_links(inst, hub_of);
    for &(i, j) in &ferries {
        let ((x1, y1), (x2, y2)) = (shapes.points[i], shapes.points[j]);
        let _ = write!(s, "<line class=\"ferry\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"><title>{}: {} – {}</title></line>", lang.t("ferry"), esc(&inst.units[i].name), esc(&inst.units[j].name));
    }
    // Hubs and names.
    for (i, u) in inst.units.iter().enumerate() {
        let (x, y) = shapes.points[i];
        let is_hub = hub_of[i] == i;
        if is_hub {
            let _ = write!(s, "<circle class=\"hub\" data-code=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.6\"/>", esc(&u.code));
        }
        if o.labels || is_hub {
            let _ = write!(s, "<text class=\"lbl{}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>", if is_hub { " hublbl" } else { "" }, x, y + if is_hub { -6.0 } else { 3.0 }, esc(&u.name));
        }
    }
    // Scale bar.
    let km = nice_length(proj.km_per_px() * proj.width * 0.25);
    let len = km / proj.km_per_px();
    let (bx, by) = (proj.pad, proj.height + 14.0);
    let _ = write!(s, "<g class=\"scale\"><path d=\"M{bx:.1} {:.1}v4h{len:.1}v-4\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.2\"/><text class=\"lg\" x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
        by - 4.0, bx + len + 5.0, by + 4.0, esc(&lang.unit(km, 0, lang.t("scale_km"))));
    // Legend.
    if o.legend {
        let y0 = proj.height + 30.0;
        let colw = (proj.width - 2.0 * proj.pad) / legend_cols as f64;
        s.push_str("<g class=\"legend\">");
        let mut items: Vec<(usize, String)> = hubs.iter().map(|&h| (h, names.get(&h).cloned().unwrap_or_else(|| inst.units[h].name.clone()))).collect();
        items.sort_by(|a, b| a.1.cmp(&b.1));
        for (k, (h, name)) in items.iter().enumerate() {
            let (x, y) = (proj.pad + (k % legend_cols) as f64 * colw, y0 + (k / legend_cols) as f64 * 17.0);
            let _ = write!(s, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"14\" height=\"11\" fill=\"{}\" stroke=\"#333\" stroke-width=\".6\"/><text class=\"lg\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                colour.get(h).map(String::as_str).unwrap_or("#ccc"), x + 19.0, y + 9.5, esc(&truncate(name, 36)));
        }
        let y = y0 + (legend_rows - 1) as f64 * 17.0;
        let x = proj.pad;
        let _ = write!(s, "<circle class=\"hub\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.6\"/><text class=\"lg\" x=\"{:.1}\" y=\"{:.1}\">{}</text>", x + 7.0, y + 5.5, x + 19.0, y + 9.5, lang.t("hub_marker"));
        if !ferries.is_empty() {
            let fx = x + colw.max(150.0);
            let _ = write!(s, "<line class=\"ferry\" x1=\"{fx:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/><text class=\"lg\" x=\"{:.1}\" y=\"{:.1}\">{}</text>", y + 5.5, fx + 16.0, y + 5.5, fx + 21.0, y + 9.5, lang.t("ferry"));
        }
        s.push_str("</g>");
    }
    s.push_str("</g></svg>");
    s
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
