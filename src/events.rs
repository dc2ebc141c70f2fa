//! Stage 5 — events (placeholder until the events stage lands).

use crate::model::{Article, DatePrecision, Event, Mention};

/// Trigger lexicon.
#[derive(Debug, Default)]
pub struct EventLexicon;

/// Lexicon error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LexiconError(String);

impl EventLexicon {
    /// Bundled lexicon.
    pub fn bundled() -> Result<EventLexicon, LexiconError> {
        Ok(EventLexicon)
    }
}

/// Events of one article.
pub fn extract_events(article: &Article, mentions: &[Mention], _lex: &EventLexicon) -> Vec<Event> {
    let triggers = ["اعتقال", "القبض", "تنسيق", "قصف", "arrest", "strike", "shelling"];
    let mut out = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let chars: Vec<char> = article.text.chars().collect();
        let s = m.start.saturating_sub(80);
        let e = (m.end + 80).min(chars.len());
        let window: String = chars[s..e].iter().collect();
        if triggers.iter().any(|t| window.contains(t)) {
            out.push(Event {
                mention: i,
                date: article.date,
                date_precision: DatePrecision::Article,
                event_type: "Strategic developments".into(),
                sub_event_type: "Other".into(),
                actors: vec![],
                geo_precision: m.kind.geo_precision(),
                sentence_start: s,
                sentence_end: e,
            });
            break;
        }
    }
    out
}
