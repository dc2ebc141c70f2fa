//! A borrowed view of one GeoJSON feature, for the writers that turn the
//! finished layers into other files.
//!
//! Parsing each feature into `serde_json::Value` cost three quarters of the
//! GeoPackage writer's time and, for `map.html`, a gigabyte of memory per
//! 30 MB of articles. The view instead keeps every property as the raw JSON
//! text it was written as (borrowed from the line), and reads a value only
//! when a writer asks for it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// One feature: its geometry and its properties, in file order, as raw JSON.
#[derive(Deserialize, Default)]
pub(crate) struct Feature<'a> {
    #[serde(borrow, default)]
    geometry: Option<&'a RawValue>,
    #[serde(borrow, default)]
    properties: Option<Props<'a>>,
}

/// A geometry's `type` and its `coordinates`, unparsed.
#[derive(Deserialize)]
pub(crate) struct Geometry<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Cow<'a, str>,
    #[serde(borrow)]
    pub coordinates: Option<&'a RawValue>,
}

/// A property value, read from its JSON text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Prop<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Str(Cow<'a, str>),
    /// An array or object, as its JSON text.
    Other(&'a str),
}

impl<'a> Prop<'a> {
    /// The value written in `raw`.
    pub fn of(raw: &'a RawValue) -> Prop<'a> {
        let t = raw.get().trim();
        match t.as_bytes().first() {
            None | Some(b'n') => Prop::Null,
            Some(b't') => Prop::Bool(true),
            Some(b'f') => Prop::Bool(false),
            // Borrowed when the string has no escapes, as most do.
            Some(b'"') => match serde_json::from_str::<&str>(t) {
                Ok(s) => Prop::Str(Cow::Borrowed(s)),
                Err(_) => serde_json::from_str::<String>(t)
                    .map_or(Prop::Other(t), |s| Prop::Str(Cow::Owned(s))),
            },
            Some(b'[' | b'{') => Prop::Other(t),
            Some(_) => t
                .parse::<i64>()
                .map(Prop::Int)
                .or_else(|_| t.parse::<f64>().map(Prop::Real))
                .unwrap_or(Prop::Other(t)),
        }
    }
}

impl<'a> Feature<'a> {
    /// The raw JSON of property `key`, if present.
    pub fn raw(&self, key: &str) -> Option<&'a RawValue> {
        self.properties
            .as_ref()?
            .0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
    }

    /// Every property, in file order.
    pub fn props(&self) -> impl Iterator<Item = (&str, Prop<'a>)> + '_ {
        self.properties
            .iter()
            .flat_map(|p| p.0.iter())
            .map(|(k, v)| (k.as_ref(), Prop::of(v)))
    }

    /// A property as display text: strings as they are, numbers and
    /// booleans as written, null or missing as empty.
    pub fn text(&self, key: &str) -> Cow<'a, str> {
        let Some(raw) = self.raw(key) else {
            return Cow::Borrowed("");
        };
        match Prop::of(raw) {
            Prop::Null => Cow::Borrowed(""),
            Prop::Str(s) => s,
            _ => Cow::Borrowed(raw.get().trim()),
        }
    }

    /// The geometry's type and coordinates; `None` for a null or
    /// unreadable geometry.
    pub fn geometry(&self) -> Option<Geometry<'a>> {
        serde_json::from_str(self.geometry?.get()).ok()
    }

    /// The geometry parsed whole (for the few polygons and lines).
    pub fn geometry_value(&self) -> Option<Value> {
        serde_json::from_str(self.geometry?.get()).ok()
    }

    /// Longitude and latitude of a Point geometry.
    pub fn point(&self) -> Option<(f64, f64)> {
        let g = self.geometry()?;
        if g.kind != "Point" {
            return None;
        }
        let c: Vec<f64> = serde_json::from_str(g.coordinates?.get()).ok()?;
        Some((*c.first()?, *c.get(1)?))
    }
}

/// The properties object, in file order (keys may repeat in odd files; the
/// first wins on lookup, as the writers always did).
#[derive(Default)]
struct Props<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// A key, borrowed unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Props<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Props<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a properties object")
            }
            fn visit_unit<E>(self) -> Result<Props<'de>, E> {
                Ok(Props::default())
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Props<'de>, M::Error> {
                let mut out = Vec::with_capacity(m.size_hint().unwrap_or(24));
                while let Some((Key(k), v)) = m.next_entry::<Key<'de>, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Props(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A whole FeatureCollection, each feature left as raw JSON.
#[derive(Deserialize)]
pub(crate) struct Collection<'a> {
    #[serde(borrow)]
    pub features: Option<Vec<&'a RawValue>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_reads_values_as_written() {
        let line = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.5,34.25,0]},
            "properties":{"a":"x","b":2,"c":2.5,"d":null,"e":true,"f":["p","q"],"g":"say \"hi\""}}"#;
        let f: Feature = serde_json::from_str(line).unwrap();
        assert_eq!(f.point(), Some((40.5, 34.25)));
        let props: Vec<(&str, Prop)> = f.props().collect();
        assert_eq!(props[0], ("a", Prop::Str("x".into())));
        assert_eq!(props[1].1, Prop::Int(2));
        assert_eq!(props[2].1, Prop::Real(2.5));
        assert_eq!(props[3].1, Prop::Null);
        assert_eq!(props[4].1, Prop::Bool(true));
        assert_eq!(props[5].1, Prop::Other(r#"["p","q"]"#));
        assert_eq!(f.text("g"), "say \"hi\"");
        assert_eq!(f.text("b"), "2");
        assert_eq!(f.text("d"), "");
        assert_eq!(f.text("missing"), "");
    }

    #[test]
    fn null_geometry_and_properties_are_empty() {
        let f: Feature =
            serde_json::from_str(r#"{"type":"Feature","geometry":null,"properties":null}"#)
                .unwrap();
        assert!(f.geometry().is_none() && f.point().is_none());
        assert_eq!(f.props().count(), 0);
    }
}
