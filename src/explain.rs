//! Infeasibility explained before solving: simple arguments that name the threshold and the units.

use crate::instance::adjacency::components;
use crate::problem::Problem;

fn fmt(x: f64) -> String {
    crate::text::thousands(x, 0)
}

fn names(p: &Problem, units: &[usize]) -> String {
    let mut v: Vec<&str> = units.iter().map(|&i| p.inst.units[i].name.as_str()).collect();
    if v.len() > 12 {
        let more = v.len() - 10;
        v.truncate(10);
        return format!("{} and {more} more", v.join(" + "));
    }
    v.join(" + ")
}

/// A reason why no partition can satisfy the scenario, when a simple argument finds one.
pub fn check(p: &Problem) -> Option<String> {
    let n = p.n;
    let all: Vec<usize> = (0..n).collect();
    for t in &p.thresholds {
        let total: f64 = all.iter().map(|&i| p.value(i, t.attr)).sum();
        if total < t.min * p.areas.0 as f64 {
            return Some(format!("the whole instance has {} = {}, less than {} area(s) × minimum {} (threshold min.{})", t.name, fmt(total), p.areas.0, fmt(t.min), t.name));
        }
        if let Some(i) = all.iter().copied().find(|&i| p.value(i, t.attr) > t.max) {
            return Some(format!("{} alone has {} {} > maximum {} (threshold max.{})", names(p, &[i]), t.name, fmt(p.value(i, t.attr)), fmt(t.max), t.name));
        }
        if t.max.is_finite() && total > t.max * p.areas.1 as f64 {
            return Some(format!("{} areas of at most {} {} cannot hold the total {} (threshold max.{})", p.areas.1, fmt(t.max), t.name, fmt(total), t.name));
        }
        if p.sc.contiguity {
            for comp in components(&p.nb, &all) {
                let s: f64 = comp.iter().map(|&i| p.value(i, t.attr)).sum();
                if s < t.min {
                    return Some(format!(
                        "{}: {} {} < minimum {} (min.{}); they have no border with the other units, and contiguity is on{}",
                        names(p, &comp), t.name, fmt(s), fmt(t.min), t.name,
                        if p.sc.sea_edges { "" } else { " with sea_edges=false" }
                    ));
                }
            }
        }
    }
    for (i, f) in p.fixed.iter().enumerate() {
        if let Some(j) = f {
            if !p.allowed[i][*j] {
                return Some(format!("{} is fixed to hub {}, which cannot serve it (out of reach, not contiguous, or the hub cannot reach the thresholds)", names(p, &[i]), names(p, &[*j])));
            }
        }
    }
    for j in 0..n {
        if p.forced_hub[j] && !p.allowed[j][j] {
            return Some(format!("{} is a forced hub but cannot serve itself", names(p, &[j])));
        }
    }
    let orphans: Vec<usize> = (0..n).filter(|&i| !p.allowed[i].iter().any(|&a| a)).collect();
    if !orphans.is_empty() {
        let hubs_note = match &p.sc.hubs_allowed {
            Some(l) => format!("hubs allowed: {}", l.join(", ")),
            None => "every unit may be a hub".to_string(),
        };
        let reach = p.sc.max_distance_km.map(|m| format!(", max_distance_km {m}")).unwrap_or_default();
        let mut parts = Vec::new();
        for comp in components(&p.nb, &orphans) {
            let figures: Vec<String> = p.thresholds.iter().filter(|t| t.min > 0.0).map(|t| {
                let s: f64 = comp.iter().map(|&i| p.value(i, t.attr)).sum();
                format!("{} {} (minimum {})", t.name, fmt(s), fmt(t.min))
            }).collect();
            parts.push(format!("{}: {}", names(p, &comp), figures.join(", ")));
        }
        return Some(format!(
            "no hub can serve {}: every hub that could reach them{} is either not allowed ({hubs_note}{reach}) or cannot form an area that meets the thresholds; {}",
            names(p, &orphans), if p.sc.contiguity { " through contiguous units" } else { "" }, parts.join("; ")
        ));
    }
    let hubs = p.hubs().len();
    if hubs < p.areas.0 {
        return Some(format!("at least {} areas are asked for, but only {hubs} units can be hubs", p.areas.0));
    }
    None
}
