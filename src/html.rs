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

/// Deeper nesting than this is no news page (those nest a few dozen
/// elements deep) and would cost the square of its depth in the DOM; such a
/// page is read as plain text instead, markup dropped.
pub const MAX_HTML_DEPTH: usize = 256;

/// Reads a page; `Err` says why no text was found.
pub(crate) fn read_html(rel: &str, html: &str) -> Result<Article, String> {
    if nesting_depth(html) > MAX_HTML_DEPTH {
        return read_flat(rel, html);
    }
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

/// How deep the elements of a page nest, roughly: opening tags less
/// closing ones, not counting void elements and those a parser closes by
/// itself (`<p>`, `<li>`, `<td>`…), nor comments, scripts and styles.
fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        let rest = &b[i..];
        if rest.starts_with(b"!--") {
            i += find(&b[i..], b"-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.first() == Some(&b'/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest[0].is_ascii_alphabetic() {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        // The tag ends at `>`; a `<` first means it never closed.
        let end = rest
            .iter()
            .position(|&c| c == b'>' || c == b'<')
            .unwrap_or(rest.len());
        let self_closing = end > 0 && rest[end - 1] == b'/';
        if matches!(
            name.as_slice(),
            b"script" | b"style" | b"textarea" | b"title"
        ) {
            let close = [b"</".as_slice(), name.as_slice()].concat();
            i += find_ci(&b[i..], &close).unwrap_or(rest.len());
            continue;
        }
        if self_closing || AUTO_CLOSED.contains(&name.as_slice()) {
            continue;
        }
        depth += 1;
        max = max.max(depth);
    }
    max
}

/// Elements with no end tag, or that the parser closes at the next sibling.
const AUTO_CLOSED: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"td", b"th", b"tr", b"option",
    b"html", b"head", b"body",
];

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// A page too deep for the DOM, as plain text: scripts, styles and comments
/// left out, a line break at each block element, the common entities
/// decoded; the title from `<title>`.
fn read_flat(rel: &str, html: &str) -> Result<Article, String> {
    let b = html.as_bytes();
    let mut text = String::with_capacity(html.len() / 2);
    let mut title = None;
    let (mut i, mut last) = (0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let at = i + off;
        text.push_str(&decode_entities(&html[last..at]));
        let rest = &b[at + 1..];
        let skip_to = |close: &[u8]| find_ci(rest, close).map_or(b.len(), |e| at + 1 + e);
        let closing = rest.first() == Some(&b'/');
        let named = &rest[usize::from(closing)..];
        let name_len = named
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 && !rest.starts_with(b"!") {
            // "a < b": not a tag.
            text.push('<');
            i = at + 1;
            last = i;
            continue;
        }
        let name = named[..name_len].to_ascii_lowercase();
        let mut next = if rest.starts_with(b"!--") {
            find(rest, b"-->").map_or(b.len(), |e| at + 1 + e + 3)
        } else {
            rest.iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |e| at + 1 + e + 1)
        };
        if !closing
            && matches!(
                name.as_slice(),
                b"script" | b"style" | b"noscript" | b"template" | b"title"
            )
        {
            let close = [b"</".as_slice(), name.as_slice()].concat();
            let end = skip_to(&close);
            if name == b"title" && title.is_none() {
                let inner = html.get(next.min(end)..end).unwrap_or("");
                title = Some(squash(&decode_entities(inner))).filter(|t| !t.is_empty());
            }
            next = end;
        } else if BLOCKS.contains(&name.as_slice()) {
            text.push('\n');
        }
        // Never inside a char: `<` and `>` are ASCII.
        i = next.min(b.len());
        last = i;
    }
    text.push_str(&decode_entities(&html[last..]));
    let body = paragraphs(&text);
    if body.is_empty() {
        return Err("web page with no readable text (only scripts, menus or markup)".into());
    }
    let text = match &title {
        Some(t) if !body.starts_with(t.as_str()) => format!("{t}\n\n{body}\n"),
        _ => format!("{body}\n"),
    };
    Ok(Article {
        id: rel.to_string(),
        title,
        text,
        ..Default::default()
    })
}

/// Elements that start a new line of text.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"div",
    b"br",
    b"li",
    b"tr",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"article",
    b"section",
    b"blockquote",
    b"table",
    b"ul",
    b"ol",
    b"hr",
];

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let n = match name.strip_prefix('#') {
                        Some(h) if h.starts_with(['x', 'X']) => {
                            u32::from_str_radix(&h[1..], 16).ok()
                        }
                        Some(d) => d.parse().ok(),
                        None => None,
                    }?;
                    char::from_u32(n).filter(|c| *c != '\0')?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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

    /// Found with pathological pages written for issue 10: 1,000 nested
    /// `<div>`s took 10 s in a debug build, 100,000 never finished (the
    /// Readability pass costs the square of the depth).
    #[test]
    fn html_reader_survives_deep_nesting() {
        let n = 100_000;
        let html = format!(
            "<html><head><title>T &amp; U</title><script>var x = '<div>';</script></head><body>{}<p>قصف على البوكمال &#1601;</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        assert!(nesting_depth(&html) > MAX_HTML_DEPTH);
        let started = std::time::Instant::now();
        let a = read_html("deep.html", &html).unwrap();
        assert!(started.elapsed().as_secs() < 10);
        assert_eq!(a.title.as_deref(), Some("T & U"));
        assert!(a.text.contains("قصف على البوكمال ف"), "{}", a.text);
        assert!(!a.text.contains("var x"));
        let unclosed = format!("<body>{}x", "<b><i>".repeat(n));
        assert!(read_html("b.html", &unclosed).is_ok());
    }

    #[test]
    fn ordinary_pages_are_shallow() {
        let page = "<html><body><div><ul><li>a<li>b</ul><p>x<p>y<br><img src=x><table><tr><td>1<td>2</table></div></body></html>";
        assert!(nesting_depth(page) < 8, "{}", nesting_depth(page));
        assert_eq!(
            nesting_depth("<!-- <div><div> --><script><div></script>"),
            0
        );
    }

    #[test]
    fn short_page_falls_back_to_body_text() {
        let html = "<html><body><script>x()</script><p>اشتباكات في هجين</p></body></html>";
        let a = read_html("s.html", html).unwrap();
        assert!(a.text.contains("اشتباكات في هجين"));
        assert!(!a.text.contains("x()"));
    }
}
