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

/// The source of a scenario parameter's default (`alue params`), in this language.
impl Lang {
    pub fn source(self, key: &str) -> Option<&'static str> {
        let en = crate::scenario::SOURCES.iter().find(|(k, _, _)| *k == key).map(|(_, _, s)| *s);
        if self == Lang::En {
            return en;
        }
        en?;
        Some(match key {
            "min.labour_force" => "laki 380/2023 (HE 207/2022): alueen työvoiman on oltava vähintään 20 000",
            "contiguity" => "laki 380/2023: alueen on oltava maantieteellisesti yhtenäinen",
            "sea_edges" => "merirajat lasketaan (Hailuodosta pääsee Ouluun lautalla)",
            "connect_components" => "hess: true, tutkimusaineistojen käytäntö saarille (zhelih/districting graph::connect): erillisten osien lähimmät kuntaparit yhdistetään, lyhin ensin",
            "caseload" => "KEHA-keskuksen valtakunnallinen keskiarvo keväällä 2025 (Yle 2025-07-24); vaihteluväli 100–200",
            "staff_cost" => "oletus: palkka, sivukulut ja tilat, €/htv·vuosi",
            "admin_cost" => "oletus: johto, hallinto ja digitaaliset palvelut, €/alue·vuosi",
            "service_cost" => "kalibroitu: vuoden 2025 rahoitus − 45 alueen hallinto − henkilöstö toteutuneella aluejaolla, ÷ työnhakijat koko maassa 2022",
            "funding_per_labour_force" => "50 % vuoden 2025 rahoituksesta 657 954 000 € ÷ manner-Suomen työvoima 2 620 530 (2022)",
            "funding_per_jobseeker" => "50 % rahoituksesta ÷ manner-Suomen työnhakijat 248 712,9 (keskiarvo 2022)",
            "trips_per_jobseeker" => "oletus: henkilökohtainen tapaaminen kolmen kuukauden välein",
            "time_value" => "oletus: matka-ajan arvo, €/h",
            "speed" => "oletus: keskinopeus kuntakeskusten välillä, km/h",
            "km_cost" => "oletus: vuoden 2024 verovapaa kilometrikorvaus, €/km",
            "detour_factor" => "oletus: tiekilometrit linnuntiekilometreihin verrattuna",
            "travel_weight" | "equalisation_weight" | "production_weight" => "MODEL.md",
            "min_staff" => "ei vähimmäismäärää asiakasmäärän lisäksi (alue, jolla on työnhakijoita, saa joka tapauksessa ≥ 1 htv)",
            "time_limit" => "sekuntia",
            "mip_gap" => "suhteellinen optimaalisuusväli, jolla HiGHS lopettaa",
            "threads" => "yksi HiGHS-säie ratkaisua kohden (toistettava); rinnakkaisuus kuuluu skenaarioajoihin",
            "cost_share_key" => "MODEL.md, ratkaisun jälkeen (After the solve)",
            "data_year" => "2022: aineiston väestö, työvoima ja työnhakijat; 2019: sen *_2019-sarakkeet (data/SOURCES.md)",
            "organiser" => "MODEL.md:n järjestämismallit: itsenäiset alueet (vuoden 2025 päätös) tai maakunnallinen järjestäjä (siemen 003)",
            "provincial_admin_cost" => "oletus: puolet admin_cost-arvosta, kun järjestäjäkunta myy johdon, hallinnon ja digitaaliset palvelut, €/alue·vuosi",
            "central_cost" => "oletus: järjestäjäkunnan omat keskitetyt palvelut, €/vuosi (2 × admin_cost)",
            "provincial_lead" => "siemen 003: Oulu (564) koko maakunnan järjestäjänä",
            "preset" => "employment: yllä olevat oletukset; hess: MODEL.md:n tutkimusaineistot",
            "travel_attribute" => "none: w(i) = työnhakijat·käynnit·2·(km_cost + time_value/speed); hess: väestö",
            "distance_exponent" => "MODEL.md: q = 1 (employment), 2 (hess)",
            "round_km" => "MODEL.md: d pyöristetään kokonaisiin kilometreihin hess-aineistoissa",
            "objective_scale" => "MODEL.md: 10⁻⁶ hess-aineistoissa",
            "balance.ATTRIBUTE" => "MODEL.md: hess asettaa balance.population = 0,005, eli [⌈0,995·P/k⌉, ⌊1,005·P/k⌋]",
            _ => return en,
        })
    }
}

impl Lang {
    /// A MODEL.md constraint family as the validator names it, in this language (the MODEL.md
    /// name stays in parentheses in Finnish so that it can be looked up).
    pub fn constraint(self, name: &str) -> String {
        let fi = match name {
            "assignment" => "jokainen kunta yhdelle alueelle",
            "contiguity" => "yhtenäisyys",
            "hubs" => "keskuskunnat",
            "number_of_areas" => "alueiden määrä",
            "objective" => "tavoitefunktio",
            "reach" => "etäisyys keskuskuntaan",
            "staffing" => "henkilöstö",
            "thresholds" => "kynnysarvot",
            _ => return name.to_string(),
        };
        match self {
            Lang::Fi => format!("{fi} ({name})"),
            Lang::En => name.to_string(),
        }
    }
}

/// (key, Finnish, English) for every phrase of the report.
const PHRASES: [(&str, &str, &str); 85] = [
    ("title", "Työllisyysalueet", "Employment-service areas"),
    ("sweep_title", "Skenaarioajo", "Scenario sweep"),
    ("instance", "Aineisto", "Instance"),
    ("status", "Tila", "Status"),
    ("optimal", "todistetusti optimaalinen", "proven optimal"),
    ("feasible", "käypä, optimaalisuutta ei todistettu", "feasible, optimality not proven"),
    ("infeasible", "ei käypä", "infeasible"),
    ("time_limit", "aikaraja täyttyi", "time limit reached"),
    ("objective", "Tavoitefunktio", "Objective"),
    ("bound", "Alaraja", "Lower bound"),
    ("gap", "Optimaalisuusväli", "Gap"),
    ("solve_time", "Ratkaisuaika", "Solve time"),
    ("data_year", "Tilastovuosi", "Data year"),
    ("validated", "Tarkistettu", "Validated"),
    ("yes", "kyllä", "yes"),
    ("no", "ei", "no"),
    ("map", "Kartta", "Map"),
    ("areas", "Alueet", "Areas"),
    ("area", "Alue", "Area"),
    ("hub", "Keskuskunta", "Hub"),
    ("members", "Jäsenkunnat", "Members"),
    ("population", "Väestö", "Population"),
    ("labour_force", "Työvoima", "Labour force"),
    ("jobseekers", "Työnhakijat", "Jobseekers"),
    ("advisers", "Asiantuntijat (htv)", "Advisers (FTE)"),
    ("travel", "Matkat", "Travel"),
    ("production_cost", "Tuotantokustannus", "Production cost"),
    ("funding", "Rahoitus", "Funding"),
    ("equalisation", "Tasausvaje", "Equalisation need"),
    ("central", "Keskitetyt palvelut", "Central services"),
    ("production", "Tuotanto", "Production"),
    ("total", "Yhteensä", "Total"),
    ("municipalities", "Kunnat: rahoitus, kustannusosuus ja nettomaksu", "Municipalities: funding, cost share and net payment"),
    ("municipality", "Kunta", "Municipality"),
    ("code", "Koodi", "Code"),
    ("share", "Osuus", "Share"),
    ("cost_share", "Kustannusosuus", "Cost share"),
    ("net_payment", "Nettomaksu", "Net payment"),
    ("share_key", "Kustannusten jakoperuste", "Cost-sharing key"),
    ("net_note", "Nettomaksu = osuus alueen kustannuksista (+ järjestäjäkunnan keskitetyt palvelut) − kunnan rahoitus; positiivinen luku on kunnan maksettavaa.", "Net payment = share of the area's cost (+ the lead's central services) − the municipality's funding; a positive figure is what it pays in."),
    ("parameters", "Skenaarion parametrit", "Scenario parameters"),
    ("parameter", "Parametri", "Parameter"),
    ("value", "Arvo", "Value"),
    ("default", "Oletus", "Default"),
    ("source", "Lähde", "Source"),
    ("changed", "muutettu", "changed"),
    ("legend", "Selite", "Legend"),
    ("ferry", "Lauttayhteys", "Ferry link"),
    ("hub_marker", "Keskuskunta", "Hub municipality"),
    ("compare", "Vertailu", "Comparison"),
    ("this_solution", "Tämä ratkaisu", "This solution"),
    ("partition_2025", "Aluejako 2025", "2025 partition"),
    ("difference", "Erotus", "Difference"),
    ("terms", "Kustannuserät (€/vuosi)", "Cost terms (€/year)"),
    ("moves", "Kunnat, jotka vaihtavat aluetta", "Municipalities that change area"),
    ("from_area", "Alue vertailussa", "Area in comparison"),
    ("to_area", "Alue tässä ratkaisussa", "Area in this solution"),
    ("no_moves", "Mikään kunta ei vaihda aluetta.", "No municipality changes area."),
    ("violations", "Rikotut ehdot", "Violated constraints"),
    ("none", "ei yhtään", "none"),
    ("constraint", "Ehto", "Constraint"),
    ("detail", "Tarkemmin", "Detail"),
    ("per_year", "€/vuosi", "€/year"),
    ("people", "henkeä", "people"),
    ("fte", "htv", "FTE"),
    ("net_diff", "Nettomaksun muutos", "Change in net payment"),
    ("scenarios", "Skenaariot", "Scenarios"),
    ("pareto", "Pareto-rintama: matkat ja tasausvaje", "Pareto front: travel against equalisation need"),
    ("pareto_note", "Jokainen piste on yksi ratkaistu skenaario; korostetut pisteet ovat tehokkaita (kumpaakaan ei voi pienentää suurentamatta toista).", "Each point is one solved scenario; the highlighted points are non-dominated (neither can fall without the other rising)."),
    ("coassignment", "Samaan alueeseen kuuluminen", "Co-assignment"),
    ("coassignment_note", "Kuinka suuressa osassa skenaarioista kaksi kuntaa kuuluu samaan alueeseen (tumma = aina).", "Share of scenarios in which two municipalities share an area (dark = always)."),
    ("partitions", "Erilaiset aluejaot", "Distinct partitions"),
    ("where_optimal", "Parametrit, joilla optimaalinen", "Parameter values where optimal"),
    ("partition", "Aluejako", "Partition"),
    ("share_of_scenarios", "Osuus skenaarioista", "Share of scenarios"),
    ("number_of_areas", "Alueiden määrä", "Number of areas"),
    ("axes", "Vaihdellut parametrit", "Parameters varied"),
    ("axis", "Parametri", "Parameter"),
    ("values", "Arvot", "Values"),
    ("solved", "ratkaistu", "solved"),
    ("of", "/", "of"),
    ("generated", "Laatinut", "Made by"),
    ("scale_km", "km", "km"),
    ("more_partitions", "Muut aluejaot ovat tiedostossa partitions.csv.", "The other partitions are in partitions.csv."),
    ("attribution", "Aineisto: © Tilastokeskus, THL, Maanmittauslaitos, lisenssi", "Data: © Statistics Finland, THL, NLS, licence"),
];

/// (Finnish, English) of a phrase of the report.
fn words(key: &str) -> (&'static str, &'static str) {
    match PHRASES.iter().find(|(k, _, _)| *k == key) {
        Some(&(_, fi, en)) => (fi, en),
        None => panic!("report phrase `{key}` has no translation"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_source_is_translated() {
        for (k, _, en) in crate::scenario::SOURCES {
            let fi = Lang::Fi.source(k).unwrap_or_else(|| panic!("{k} has no source"));
            assert_eq!(Lang::En.source(k), Some(*en));
            if !en.starts_with("MODEL.md") && !en.starts_with("seconds") {
                assert_ne!(fi, *en, "{k} is not translated");
            }
        }
    }

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
