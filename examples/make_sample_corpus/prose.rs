//! Seeded, deterministic padding prose built from a chapter's topic
//! vocabulary and a set of sentence templates per document style. Every
//! slot is filled from the chapter's own topic, so a harm's distinctive words
//! stay in its own chapter.

use super::source::{Style, Topic};

/// SplitMix64: small, fast, and good enough to vary sentence choice.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// FNV-1a, for deriving seeds from names.
pub fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const RISK: &[&str] = &[
    "Services that offer {feature} can give {actor} a way to {act}, which raises the risk of {term} on those services.",
    "Our evidence on {name} comes mainly from {evidence}, and it points to {signal} as a recurring pattern.",
    "Where a service combines {feature} with {feature2}, {actor} may find it easier to {act} without being noticed.",
    "The harm is serious because {impact}.",
    "Providers assessing the risk of {name} should look closely at {signal} and at the role of {feature} on their service.",
    "Signs that a service is being used in this way include {signal} and {signal2}.",
    "{Actor} often rely on {feature} to {act}, and may move the conversation to a less moderated space once contact has been made.",
    "The risk of {term} tends to be higher on services with {feature}, particularly where nobody acts on {signal}.",
    "We consider {feature} a risk factor for {name} because that functionality lets {actor} {act} with little effort and at scale.",
    "In {evidence} we found cases in which {actor} used {feature} to {act}.",
    "Smaller services are not immune: according to {evidence}, {actor} will move to whichever service offers {feature} with the least oversight.",
];

const JUDGEMENT: &[&str] = &[
    "When judging whether content is illegal content relating to {name}, a moderator should ask whether there are reasonable grounds to infer that it was posted to {act}.",
    "Reasonable grounds to infer are more likely to exist where the content shows {signal}.",
    "Content that discusses {term} for news, research, campaigning or educational purposes will not usually meet the threshold on that basis alone.",
    "Context matters: material sent through {feature} may carry a different meaning from the same words posted publicly.",
    "Relevant indicators include {signal}, {signal2} and {signal3}, although no single indicator is decisive.",
    "Where the information available to the service includes {evidence}, it may take that into account alongside the content itself.",
    "If the content suggests that {actor} are seeking to {act}, it is likely to amount to an offence unless there is clear information pointing the other way.",
    "The offences relevant to {name} have both a conduct element and a mental element, and each can often be inferred from {signal}.",
    "A moderator considering {term} does not need to be certain who posted the content or why; the question is whether the information reasonably available supports the inference.",
    "Usage examples in the annex show how {signal} can be weighed against innocent explanations.",
];

const DECISION: &[&str] = &[
    "Respondents to our consultation raised concerns about how {term} would be judged where content is shared through {feature}.",
    "Having considered these responses, we have kept the approach to {name} broadly as proposed, with clarifications about {signal}.",
    "Some stakeholders argued that {signal} should not on its own lead to content being treated as illegal; we agree, and the guidance now says so.",
    "We have added examples drawn from {evidence} to help moderators recognise {term}.",
    "One respondent told us that {actor} frequently {act}; we have reflected this in the indicators for {name}.",
    "We expect the impact of this decision to be modest for most services, since many of them already moderate {feature}.",
    "Civil society groups stressed that {impact}, and this informed the final wording of the guidance on {name}.",
    "Industry respondents asked for more detail on {signal2}, and we have expanded the relevant section accordingly.",
];

const MEASURE: &[&str] = &[
    "Under this measure, {actor} should {act}.",
    "The measure applies to services that offer {feature}, and to any service that has identified a medium or high risk in its latest risk assessment.",
    "In applying the measure, a provider should take account of {signal}.",
    "Providers may keep records drawn from {evidence} to show how the measure has been followed.",
    "We expect this measure to reduce harm because {impact}.",
    "{Actor} should review how they {act} at least once a year, and sooner if there is a marked change in {signal2}.",
    "Where a service offers {feature}, the provider should also consider {signal} when deciding how to {act}.",
    "A provider that chooses an alternative approach should be able to explain how it achieves the same outcome for {term}.",
];

const METHOD: &[&str] = &[
    "At this step, {actor} should {act}, drawing on {evidence}.",
    "The Risk Profiles point to {feature} as a factor that can raise the likelihood of harm, so providers should note whether their service offers it.",
    "A provider should record {signal} as part of the assessment.",
    "Where evidence is limited, {actor} should say so and explain how they reached a risk level for {name}.",
    "The assessment should consider {term} alongside each kind of priority illegal harm.",
    "This matters because {impact}.",
    "Providers should keep the assessment under review and repeat this step whenever there is a significant change in {signal2}.",
    "Evidence such as {evidence} helps a provider judge both the likelihood and the impact of harm.",
];

fn templates(style: Style) -> &'static [&'static str] {
    match style {
        Style::Risk => RISK,
        Style::Judgement => JUDGEMENT,
        Style::Decision => DECISION,
        Style::Measure => MEASURE,
        Style::Method => METHOD,
    }
}

pub fn subheadings(style: Style) -> &'static [&'static str] {
    match style {
        Style::Risk => &[
            "How the harm manifests online",
            "Risk factors",
            "Evidence",
            "Service types",
            "User base",
            "Functionalities and recommender systems",
            "Business models and commercial profiles",
        ],
        Style::Judgement => &[
            "Offences in scope",
            "Indicators",
            "Reasonable grounds to infer",
            "Context and possible defences",
            "Usage examples",
        ],
        Style::Decision => &["Consultation responses", "Our decision", "Stakeholder views", "Impact of our decision"],
        Style::Measure => &["Application", "How the measure works", "Rationale", "Records and review"],
        Style::Method => {
            &["Inputs to this step", "Evidence to consider", "Recording the outcome", "Reviewing the assessment"]
        }
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub struct Prose<'a> {
    pub topic: &'a Topic,
    pub style: Style,
    pub rng: Rng,
}

impl<'a> Prose<'a> {
    fn pick(&mut self, key: &str) -> String {
        let l = self.topic.list(key);
        assert!(!l.is_empty(), "topic lacks list {key}");
        l[self.rng.below(l.len())].clone()
    }

    fn pick_other(&mut self, key: &str, not: &[String]) -> String {
        for _ in 0..8 {
            let s = self.pick(key);
            if !not.contains(&s) {
                return s;
            }
        }
        self.pick(key)
    }

    fn fill(&mut self, tpl: &str) -> String {
        let mut out = String::new();
        let mut rest = tpl;
        let mut used: Vec<String> = Vec::new();
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').unwrap() + i;
            let slot = &rest[i + 1..j];
            let capitalise = slot.chars().next().unwrap().is_uppercase();
            let base = slot.to_lowercase();
            let key = base.trim_end_matches(|c: char| c.is_ascii_digit());
            let list = match key {
                "name" => "name",
                "term" => "terms",
                "actor" => "actors",
                "act" => "acts",
                "signal" => "signals",
                "feature" => "features",
                "evidence" => "evidence",
                "impact" => "impacts",
                other => panic!("unknown slot {other}"),
            };
            let v = self.pick_other(list, &used);
            used.push(v.clone());
            out.push_str(&if capitalise { cap(&v) } else { v });
            rest = &rest[j + 1..];
        }
        out.push_str(rest);
        cap(&out)
    }

    /// A paragraph of three to five sentences, no template twice.
    pub fn paragraph(&mut self) -> String {
        let tpls = templates(self.style);
        let n = 2 + self.rng.below(3);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < n {
            let i = self.rng.below(tpls.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.iter().map(|&i| self.fill(tpls[i])).collect::<Vec<_>>().join(" ")
    }

    pub fn footnote(&mut self) -> String {
        let e = self.pick("evidence");
        match self.rng.below(3) {
            0 => format!("For a summary of {e}, see the evidence annex to this sample document."),
            1 => format!("This point draws on {e}; the sample cites no real study."),
            _ => format!("Sample note: {} is described here for illustration only.", cap(&e)),
        }
    }

    /// Rows of a ruled table: header + three rows.
    pub fn table(&mut self) -> Vec<Vec<String>> {
        let mut rows =
            vec![vec!["Risk factor".to_string(), "How it may be misused".to_string(), "Main evidence".to_string()]];
        let mut seen: Vec<String> = Vec::new();
        for _ in 0..3 {
            let f = self.pick_other("features", &seen);
            seen.push(f.clone());
            let a = self.pick("actors");
            let act = self.pick("acts");
            let ev = self.pick("evidence");
            rows.push(vec![cap(&f), format!("{} may use it to {act}", cap(&a)), cap(&ev)]);
        }
        rows
    }
}
