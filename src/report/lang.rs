//! The report's two languages: its words and how it writes numbers. Finnish writes a no-break
//! space between thousands, a decimal comma and € after the number (`1 234 567,8 €`); English
//! writes commas between thousands, a decimal point and € before the number (`€1,234,567.8`).

use crate::error::{Error, Result};

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Finnish.
    Fi,
    /// English.
    En,
}

/// The no-break space used between thousands and before units in Finnish.
pub const NBSP: char = '\u{a0}';
/// The minus sign (U+2212).
pub const MINUS: char = '−';

impl Lang {
    /// Parse `fi` or `en`.
    pub fn parse(s: &str) -> Result<Lang> {
        match s {
            "fi" => Ok(Lang::Fi),
            "en" => Ok(Lang::En),
            other => Err(Error::scenario("--lang", "lang", format!("`{other}` is not fi or en"))),
        }
    }

    /// The HTML `lang` code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::En => "en",
        }
    }

    /// `x` with `decimals` decimals and the language's separators (minus sign U+2212).
    pub fn num(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = match s.split_once('.') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (s.clone(), None),
        };
        let (sep, point) = match self {
            Lang::Fi => (NBSP, ','),
            Lang::En => (',', '.'),
        };
        let mut out = String::new();
        for (k, ch) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                out.push(sep);
            }
            out.push(ch);
        }
        if let Some(f) = frac {
            out.push(point);
            out.push_str(&f);
        }
        if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.insert(0, MINUS);
        }
        out
    }

    /// An amount in euros: `1 234 €` (fi) or `€1,234` (en).
    pub fn eur(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let n = self.num(x, decimals);
        match self {
            Lang::Fi => format!("{n}{NBSP}€"),
            Lang::En => match n.strip_prefix(MINUS) {
                Some(rest) => format!("{MINUS}€{rest}"),
                None => format!("€{n}"),
            },
        }
    }

    /// A number followed by a unit: `12,5 km` / `12.5 km`.
    pub fn unit(self, x: f64, decimals: usize, unit: &str) -> String {
        format!("{}{NBSP}{unit}", self.num(x, decimals))
    }

    /// A percentage: `0,12 %` (fi) or `0.12%` (en).
    pub fn pct(self, x: f64, decimals: usize) -> String {
        match self {
            Lang::Fi => format!("{}{NBSP}%", self.num(x, decimals)),
            Lang::En => format!("{}%", self.num(x, decimals)),
        }
    }

    /// Parse a number this language wrote (for tests and for reading back): separators removed,
    /// the decimal mark made a point, `€`, `%` and units dropped.
    pub fn parse_number(self, s: &str) -> Option<f64> {
        let mut t: String = s.chars().filter(|c| !matches!(c, '€' | '%' | ' ' | '\u{a0}')).collect();
        t = t.replace(MINUS, "-");
        match self {
            Lang::Fi => t = t.replace(',', "."),
            Lang::En => t = t.replace(',', ""),
        }
        t.parse().ok()
    }

    /// The word or phrase for `key` in this language.
    pub fn t(self, key: &str) -> &'static str {
        let (fi, en) = words(key);
        match self {
            Lang::Fi => fi,
            Lang::En => en,
        }
    }
}

/// (Finnish, English) for every phrase of the report.
fn words(key: &str) -> (&'static str, &'static str) {
    match key {
        "title" => ("Työllisyysalueet", "Employment-service areas"),
        "sweep_title" => ("Skenaarioajo", "Scenario sweep"),
        "instance" => ("Aineisto", "Instance"),
        "status" => ("Tila", "Status"),
        "optimal" => ("todistetusti optimaalinen", "proven optimal"),
        "feasible" => ("käypä, optimaalisuutta ei todistettu", "feasible, optimality not proven"),
        "infeasible" => ("ei käypä", "infeasible"),
        "time_limit" => ("aikaraja täyttyi", "time limit reached"),
        "objective" => ("Tavoitefunktio", "Objective"),
        "bound" => ("Alaraja", "Lower bound"),
        "gap" => ("Optimaalisuusväli", "Gap"),
        "solve_time" => ("Ratkaisuaika", "Solve time"),
        "data_year" => ("Tilastovuosi", "Data year"),
        "validated" => ("Tarkistettu", "Validated"),
        "yes" => ("kyllä", "yes"),
        "no" => ("ei", "no"),
        "map" => ("Kartta", "Map"),
        "areas" => ("Alueet", "Areas"),
        "area" => ("Alue", "Area"),
        "hub" => ("Keskuskunta", "Hub"),
        "members" => ("Jäsenkunnat", "Members"),
        "population" => ("Väestö", "Population"),
        "labour_force" => ("Työvoima", "Labour force"),
        "jobseekers" => ("Työnhakijat", "Jobseekers"),
        "advisers" => ("Asiantuntijat (htv)", "Advisers (FTE)"),
        "travel" => ("Matkat", "Travel"),
        "production_cost" => ("Tuotantokustannus", "Production cost"),
        "funding" => ("Rahoitus", "Funding"),
        "equalisation" => ("Tasausvaje", "Equalisation need"),
        "central" => ("Keskitetyt palvelut", "Central services"),
        "production" => ("Tuotanto", "Production"),
        "total" => ("Yhteensä", "Total"),
        "municipalities" => ("Kunnat: rahoitus, kustannusosuus ja nettomaksu", "Municipalities: funding, cost share and net payment"),
        "municipality" => ("Kunta", "Municipality"),
        "code" => ("Koodi", "Code"),
        "share" => ("Osuus", "Share"),
        "cost_share" => ("Kustannusosuus", "Cost share"),
        "net_payment" => ("Nettomaksu", "Net payment"),
        "share_key" => ("Kustannusten jakoperuste", "Cost-sharing key"),
        "net_note" => (
            "Nettomaksu = osuus alueen kustannuksista (+ järjestäjäkunnan keskitetyt palvelut) − kunnan rahoitus; positiivinen luku on kunnan maksettavaa.",
            "Net payment = share of the area's cost (+ the lead's central services) − the municipality's funding; a positive figure is what it pays in.",
        ),
        "parameters" => ("Skenaarion parametrit", "Scenario parameters"),
        "parameter" => ("Parametri", "Parameter"),
        "value" => ("Arvo", "Value"),
        "default" => ("Oletus", "Default"),
        "source" => ("Lähde", "Source"),
        "changed" => ("muutettu", "changed"),
        "legend" => ("Selite", "Legend"),
        "ferry" => ("Lauttayhteys", "Ferry link"),
        "hub_marker" => ("Keskuskunta", "Hub municipality"),
        "compare" => ("Vertailu", "Comparison"),
        "this_solution" => ("Tämä ratkaisu", "This solution"),
        "difference" => ("Erotus", "Difference"),
        "terms" => ("Kustannuserät (€/vuosi)", "Cost terms (€/year)"),
        "moves" => ("Kunnat, jotka vaihtavat aluetta", "Municipalities that change area"),
        "from_area" => ("Alue vertailussa", "Area in comparison"),
        "to_area" => ("Alue tässä ratkaisussa", "Area in this solution"),
        "no_moves" => ("Mikään kunta ei vaihda aluetta.", "No municipality changes area."),
        "violations" => ("Rikotut ehdot", "Violated constraints"),
        "none" => ("ei yhtään", "none"),
        "constraint" => ("Ehto", "Constraint"),
        "detail" => ("Tarkemmin", "Detail"),
        "per_year" => ("€/vuosi", "€/year"),
        "people" => ("henkeä", "people"),
        "fte" => ("htv", "FTE"),
        "net_diff" => ("Nettomaksun muutos", "Change in net payment"),
        "scenarios" => ("Skenaariot", "Scenarios"),
        "pareto" => ("Pareto-rintama: matkat ja tasausvaje", "Pareto front: travel against equalisation need"),
        "pareto_note" => (
            "Jokainen piste on yksi ratkaistu skenaario; korostetut pisteet ovat tehokkaita (kumpaakaan ei voi pienentää suurentamatta toista).",
            "Each point is one solved scenario; the highlighted points are non-dominated (neither can fall without the other rising).",
        ),
        "coassignment" => ("Samaan alueeseen kuuluminen", "Co-assignment"),
        "coassignment_note" => (
            "Kuinka suuressa osassa skenaarioista kaksi kuntaa kuuluu samaan alueeseen (tumma = aina).",
            "Share of scenarios in which two municipalities share an area (dark = always).",
        ),
        "partitions" => ("Erilaiset aluejaot", "Distinct partitions"),
        "where_optimal" => ("Parametrit, joilla optimaalinen", "Parameter values where optimal"),
        "partition" => ("Aluejako", "Partition"),
        "share_of_scenarios" => ("Osuus skenaarioista", "Share of scenarios"),
        "number_of_areas" => ("Alueiden määrä", "Number of areas"),
        "axes" => ("Vaihdellut parametrit", "Parameters varied"),
        "axis" => ("Parametri", "Parameter"),
        "values" => ("Arvot", "Values"),
        "solved" => ("ratkaistu", "solved"),
        "of" => ("/", "of"),
        "generated" => ("Laatinut", "Made by"),
        "scale_km" => ("km", "km"),
        "more_partitions" => ("Muut aluejaot ovat tiedostossa partitions.csv.", "The other partitions are in partitions.csv."),
        "attribution" => (
            "Aineisto: © Tilastokeskus, THL, Maanmittauslaitos, lisenssi",
            "Data: © Statistics Finland, THL, NLS, licence",
        ),
        _ => panic!("report phrase `{key}` has no translation"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_and_english_numbers() {
        assert_eq!(Lang::Fi.eur(1234567.891, 2), "1\u{a0}234\u{a0}567,89\u{a0}€");
        assert_eq!(Lang::En.eur(1234567.891, 2), "€1,234,567.89");
        assert_eq!(Lang::En.eur(-1500.0, 0), "−€1,500");
        assert_eq!(Lang::Fi.eur(-1500.0, 0), "−1\u{a0}500\u{a0}€");
        assert_eq!(Lang::Fi.num(999.0, 0), "999");
        assert_eq!(Lang::Fi.num(-0.001, 1), "0,0");
        assert_eq!(Lang::Fi.pct(12.345, 1), "12,3\u{a0}%");
        for x in [0.0, 12.5, -98765.43, 1e9] {
            for l in [Lang::Fi, Lang::En] {
                assert_eq!(l.parse_number(&l.eur(x, 2)), Some((x * 100.0).round() / 100.0), "{l:?} {x}");
            }
        }
    }
}
