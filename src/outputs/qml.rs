//! QGIS 3 layer styles. QGIS loads `NAME.qml` automatically when it opens
//! `NAME.geojson` from the same folder, so the layers come up styled.
//!
//! - `events.qml`: categorised by `event_type`, one marker colour per ACLED type;
//! - `zones.qml`: categorised by `controller`, one stable semi-transparent fill
//!   per controller code (the table in [`super::CONTROLLER_COLOURS`]);
//! - `border.qml`: a thick dashed line.

use std::fmt::Write as _;
use std::path::Path;

use super::{CONTROLLER_COLOURS, EVENT_TYPE_COLOURS};
use crate::error::Result;
use crate::write::write_atomic;

/// Writes `events.qml`, `zones.qml` and `border.qml` into `dir`.
pub fn write_qml(dir: &Path) -> Result<()> {
    for (name, body) in [
        ("events.qml", events_qml()),
        ("zones.qml", zones_qml()),
        ("border.qml", border_qml()),
    ] {
        write_atomic(&dir.join(name), |w| w.write_all(body.as_bytes()))?;
    }
    Ok(())
}

/// `#rrggbb` → `r,g,b,a` as QGIS writes colours.
fn qcolour(hex: &str, alpha: u8) -> String {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    match (c(0), c(2), c(4)) {
        (Some(r), Some(g), Some(b)) => format!("{r},{g},{b},{alpha}"),
        _ => format!("128,128,128,{alpha}"),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// One symbol layer's properties, written both as QGIS ≥ 3.26 `<Option>`
/// map and as the older `<prop>` list, so any QGIS 3 reads it.
fn layer(class: &str, props: &[(&str, String)]) -> String {
    let mut s =
        format!("        <layer class=\"{class}\" enabled=\"1\" locked=\"0\" pass=\"0\">\n");
    s.push_str("          <Option type=\"Map\">\n");
    for (k, v) in props {
        let _ = writeln!(
            s,
            "            <Option name=\"{k}\" type=\"QString\" value=\"{}\"/>",
            xml_escape(v)
        );
    }
    s.push_str("          </Option>\n");
    for (k, v) in props {
        let _ = writeln!(s, "          <prop k=\"{k}\" v=\"{}\"/>", xml_escape(v));
    }
    s.push_str("        </layer>\n");
    s
}

fn symbol(kind: &str, name: &str, layer_xml: &str) -> String {
    format!(
        "      <symbol type=\"{kind}\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n{layer_xml}      </symbol>\n"
    )
}

fn marker(hex: &str) -> String {
    layer(
        "SimpleMarker",
        &[
            ("angle", "0".into()),
            ("color", qcolour(hex, 230)),
            ("joinstyle", "bevel".into()),
            ("name", "circle".into()),
            ("outline_color", "255,255,255,255".into()),
            ("outline_style", "solid".into()),
            ("outline_width", "0.3".into()),
            ("outline_width_unit", "MM".into()),
            ("scale_method", "diameter".into()),
            ("size", "3".into()),
            ("size_unit", "MM".into()),
        ],
    )
}

fn fill(hex: &str) -> String {
    layer(
        "SimpleFill",
        &[
            ("color", qcolour(hex, 90)),
            ("joinstyle", "bevel".into()),
            ("outline_color", qcolour(hex, 255)),
            ("outline_style", "solid".into()),
            ("outline_width", "0.4".into()),
            ("outline_width_unit", "MM".into()),
            ("style", "solid".into()),
        ],
    )
}

fn header() -> String {
    "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
     <qgis version=\"3.28.0-Firenze\" styleCategories=\"Symbology\">\n"
        .to_string()
}

/// A categorised renderer over `attr`, one category per `(value, colour)`,
/// plus a catch-all category (empty value) for anything else.
fn categorised(
    attr: &str,
    kind: &str,
    classes: &[(&str, &str)],
    sym: fn(&str) -> String,
    geometry_type: u8,
) -> String {
    let mut s = header();
    let _ = writeln!(
        s,
        "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{attr}\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">"
    );
    s.push_str("    <categories>\n");
    for (i, (value, _)) in classes.iter().enumerate() {
        let v = xml_escape(value);
        let _ = writeln!(
            s,
            "      <category render=\"true\" value=\"{v}\" symbol=\"{i}\" label=\"{v}\" type=\"string\"/>"
        );
    }
    let other = classes.len();
    let _ = writeln!(
        s,
        "      <category render=\"true\" value=\"\" symbol=\"{other}\" label=\"other / none\" type=\"string\"/>"
    );
    s.push_str("    </categories>\n    <symbols>\n");
    for (i, (_, hex)) in classes.iter().enumerate() {
        s.push_str(&symbol(kind, &i.to_string(), &sym(hex)));
    }
    s.push_str(&symbol(kind, &other.to_string(), &sym("#bbbbbb")));
    s.push_str("    </symbols>\n    <source-symbol>\n");
    s.push_str(&symbol(kind, "0", &sym("#bbbbbb")));
    s.push_str("    </source-symbol>\n  </renderer-v2>\n");
    let _ = writeln!(
        s,
        "  <layerGeometryType>{geometry_type}</layerGeometryType>"
    );
    s.push_str("</qgis>\n");
    s
}

/// `events.qml`: markers categorised by ACLED `event_type`.
pub fn events_qml() -> String {
    categorised("event_type", "marker", &EVENT_TYPE_COLOURS, marker, 0)
}

/// `zones.qml`: semi-transparent fills categorised by `controller`.
pub fn zones_qml() -> String {
    categorised("controller", "fill", &CONTROLLER_COLOURS, fill, 2)
}

/// `border.qml`: one thick dashed dark line.
pub fn border_qml() -> String {
    let line = layer(
        "SimpleLine",
        &[
            ("capstyle", "round".into()),
            ("customdash", "4;2".into()),
            ("customdash_unit", "MM".into()),
            ("joinstyle", "round".into()),
            ("line_color", "40,40,40,255".into()),
            ("line_style", "dash".into()),
            ("line_width", "1.2".into()),
            ("line_width_unit", "MM".into()),
            ("use_custom_dash", "1".into()),
        ],
    );
    let mut s = header();
    s.push_str("  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n    <symbols>\n");
    s.push_str(&symbol("line", "0", &line));
    s.push_str(
        "    </symbols>\n  </renderer-v2>\n  <layerGeometryType>1</layerGeometryType>\n</qgis>\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_qgis_rgba() {
        assert_eq!(qcolour("#ff7f0e", 90), "255,127,14,90");
        assert_eq!(qcolour("bad", 1), "128,128,128,1");
    }

    #[test]
    fn every_controller_and_type_has_a_category() {
        let z = zones_qml();
        for (code, _) in CONTROLLER_COLOURS {
            assert!(z.contains(&format!("value=\"{code}\"")), "{code}");
        }
        let e = events_qml();
        assert!(e.contains("value=\"Explosions/Remote violence\""));
        assert!(e.starts_with("<!DOCTYPE qgis"));
    }
}
