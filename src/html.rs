//! Part of stage 1 — read: a saved web page → one [`Article`].
//!
//! The main text comes from `dom_smoothie` (a port of Firefox's Readability):
//! scripts, navigation, sidebars and footers are left out. When it finds no
//! article (a short page, an odd layout), the page's body text is used with
//! scripts, styles, navigation, headers, footers and forms removed. Title and
//! date come from `<title>`/`og:title` and `article:published_time`, JSON-LD
//! `datePublished` and similar meta tags, or the first `<time datetime>`.

use dom_smoothie::{Config, Readability, TextMode};

use crate::model::Article;
use crate::read::parse_date;

/// Elements that never hold article text.
const BOILERPLATE: &str =
    "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, select";

/// Meta tags that carry a publication date, beyond those Readability reads.
const DATE_META: &[&str] = &[
    r#"meta[property="article:published_time"]"#,
    r#"meta[name="article:published_time"]"#,
    r#"meta[property="og:published_time"]"#,
    r#"meta[itemprop="datePublished"]"#,
    r#"meta[name="date"]"#,
    r#"meta[name="pubdate"]"#,
    r#"meta[name="publishdate"]"#,
    r#"meta[name="publish-date"]"#,
    r#"meta[name="DC.date.issued"]"#,
    r#"meta[name="dc.date"]"#,
    r#"meta[name="sailthru.date"]"#,
];

/// Reads a page; `Err` says why no text was found.
pub(crate) fn read_html(rel: &str, html: &str) -> Result<Article, String> {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    let (mut title, mut date, mut url, mut body) = (None, None, None, String::new());
    if let Ok(mut r) = Readability::new(html, None, Some(cfg)) {
        if let Ok(a) = r.parse() {
            title = Some(a.title).filter(|t| !t.trim().is_empty());
            date = a.published_time.as_deref().and_then(parse_date);
            url = a.url;
            body = a.text_content.to_string();
        }
    }
    // Fallback and meta tags Readability does not read: a fresh parse.
    let doc = Readability::new(html, None, None)
        .map_err(|e| format!("cannot parse the page: {e}"))?
        .doc;
    if date.is_none() {
        date = DATE_META
            .iter()
            .find_map(|sel| doc.select(sel).attr("content"))
            .or_else(|| doc.select("time[datetime]").first().attr("datetime"))
            .and_then(|d| parse_date(&d));
    }
    if title.is_none() {
        title = [
            doc.select("title").first().text(),
            doc.select("h1").first().text(),
        ]
        .into_iter()
        .map(|t| squash(&t))
        .find(|t| !t.is_empty());
    }
    if url.is_none() {
        url = doc
            .select(r#"link[rel="canonical"]"#)
            .attr("href")
            .map(|u| u.to_string());
    }
    if body.trim().is_empty() {
        doc.select(BOILERPLATE).remove();
        body = doc.select("body").formatted_text().to_string();
    }
    let body = paragraphs(&body);
    if body.is_empty() {
        return Err("web page with no readable text (only scripts, menus or markup)".into());
    }
    let title = title.map(|t| squash(&t));
    let text = match &title {
        Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}\n"),
        _ => format!("{body}\n"),
    };
    Ok(Article {
        id: rel.to_string(),
        title,
        date,
        url,
        text,
    })
}

/// One line per paragraph, a blank line between paragraphs, spaces squashed.
fn paragraphs(text: &str) -> String {
    text.lines()
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_menus_stay_out_title_and_date_come_from_meta() {
        let html = r#"<html><head><title>قصف على البوكمال</title>
<meta property="article:published_time" content="2021-06-28T08:00:00Z">
<script>var secret = "SCRIPT_TEXT";</script></head>
<body><nav><a href="/">الرئيسية</a> <a href="/x">MENU_TEXT</a></nav>
<article><p>قصفت طائرات مسيرة مواقع في مدينة البوكمال شرق دير الزور صباح اليوم، وفق مصادر محلية.</p>
<p>وقالت المصادر إن القصف استهدف مستودعات للأسلحة قرب الحدود العراقية.</p></article>
<script>document.write("MORE_SCRIPT")</script><footer>FOOTER_TEXT</footer></body></html>"#;
        let a = read_html("p.html", html).unwrap();
        assert_eq!(a.title.as_deref(), Some("قصف على البوكمال"));
        assert_eq!(a.date, chrono::NaiveDate::from_ymd_opt(2021, 6, 28));
        assert!(a.text.contains("مدينة البوكمال"), "{}", a.text);
        for junk in ["SCRIPT_TEXT", "MORE_SCRIPT", "MENU_TEXT", "FOOTER_TEXT"] {
            assert!(!a.text.contains(junk), "{junk} in {}", a.text);
        }
    }

    #[test]
    fn a_page_of_scripts_only_has_no_text() {
        let html =
            "<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>";
        assert!(read_html("s.html", html).is_err());
    }

    #[test]
    fn short_page_falls_back_to_body_text() {
        let html = "<html><body><script>x()</script><p>اشتباكات في هجين</p></body></html>";
        let a = read_html("s.html", html).unwrap();
        assert!(a.text.contains("اشتباكات في هجين"));
        assert!(!a.text.contains("x()"));
    }
}
