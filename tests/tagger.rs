//! Table-driven tests for the tagger and resolver over the bundled gazetteer:
//! rows of (text, expected surfaces with where they are), Arabic and English
//! side by side, plus a property test that offsets always point at the surface.

use bordermap::{haversine_km, Pipeline};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::bundled().expect("bundled data loads"))
}

/// (surface, lat, lon): a mention with this exact surface, resolved within 15 km.
type Want = (&'static str, f64, f64);

const ALBU_KAMAL: (f64, f64) = (34.452, 40.918);
const HASAKAH: (f64, f64) = (36.502, 40.748);

/// (name, text, expected mentions, surfaces that must not be mentions)
#[allow(clippy::type_complexity)]
const ROWS: &[(&str, &str, &[Want], &[&str])] = &[
    (
        "people named like places",
        "Bashar al-Assad fled; Abu Bakr al-Baghdadi was killed; بشار الأسد",
        &[],
        &["Bashar", "Baghdadi", "بشار"],
    ),
    (
        "an adjective that names a place",
        "يصعب الوصول إلى المنطقة بسبب تضاريسها الوعرة",
        &[],
        &["الوعرة"],
    ),
    (
        "clitic ب",
        "سقطت قذائف بالبوكمال صباح اليوم",
        &[("بالبوكمال", ALBU_KAMAL.0, ALBU_KAMAL.1)],
        &[],
    ),
    (
        "clitic و on a two-word name",
        "اشتباكات في الحسكة ودير الزور",
        &[
            ("الحسكة", HASAKAH.0, HASAKAH.1),
            ("ودير الزور", 35.336, 40.141),
        ],
        &[],
    ),
    (
        "fused لل",
        "توجهت التعزيزات للحدود السورية العراقية",
        &[("للحدود السورية العراقية", f64::NAN, f64::NAN)],
        &[],
    ),
    (
        "word boundary: التنف inside التنفس",
        "يعاني السكان من ضيق التنفس بسبب الغبار",
        &[],
        &["التنف"],
    ),
    (
        "kind word before the name",
        "قاعدة التنف العسكرية",
        &[("التنف العسكرية", 33.5, 38.63)],
        &[],
    ),
    (
        "SDF is not Syria",
        "قالت قوات سوريا الديمقراطية إنها اعتقلت ثلاثة",
        &[],
        &["سوريا"],
    ),
    (
        "RT is not Russia",
        "ونقلت روسيا اليوم عن مصدر أمني",
        &[],
        &["روسيا"],
    ),
    (
        "nationality adjective",
        "أعلن الجيش العراقي والقوات السورية",
        &[],
        &["العراق", "السوري"],
    ),
    (
        "hamza and diacritics",
        "في مدينةِ الْمَوْصِل ومحافظة الأنبار",
        &[("الْمَوْصِل", 36.34, 43.13)],
        &[],
    ),
    (
        "Kurdish letters",
        "لە شاری دهۆک",
        &[("دهۆک", 36.86, 42.99)],
        &[],
    ),
    (
        "English variant Abu Kamal",
        "Shelling hit Abu Kamal on Monday.",
        &[("Abu Kamal", ALBU_KAMAL.0, ALBU_KAMAL.1)],
        &["hit"],
    ),
    (
        "English hyphenated",
        "a raid in the city of Deir ez-Zor",
        &[("Deir ez-Zor", 35.336, 40.141)],
        &[],
    ),
    (
        "English border phrase",
        "along the Iraqi-Syrian border",
        &[("Iraqi-Syrian border", f64::NAN, f64::NAN)],
        &[],
    ),
    (
        "English org names",
        "The Syrian Democratic Forces and Syria TV reported",
        &[],
        &["Syria"],
    ),
    (
        "English lower-case words are not places",
        "They may hit the key dry wells",
        &[],
        &["may", "hit", "key", "dry"],
    ),
    (
        "green belt of Albu Kamal is not the Kerbala village",
        "غارات على موقع لواء فاطميون في منطقة الحزام الأخضر قرب البوكمال",
        &[("البوكمال", ALBU_KAMAL.0, ALBU_KAMAL.1)],
        &["الحزام"],
    ),
    (
        "هول is horror, not al-Hol",
        "وقالت إن أطفالها أصيبوا بالذهول من هول الصدمة في مخيم الهول",
        &[],
        &["هول الصدمة", "من هول"],
    ),
    (
        "acting, not al-Qaim",
        "قال القائم بأعمال مدير شرطة القائم إن الضبطية كبيرة",
        &[("القائم", 34.392, 40.989)],
        &["القائم بأعمال"],
    ),
    (
        "Kurmanji",
        "Drone strike near Qamişlo",
        &[("Qamişlo", 37.052, 41.231)],
        &[],
    ),
    // Ordinary words that are also village names, next to a frontier town:
    // a place nearby is not enough, the text must use the word as a place.
    (
        "ordinary word beside a town: جديدة (new)",
        "وصلت إلى الموصل دفعة جديدة من العائلات العائدة",
        &[("الموصل", 36.34, 43.13)],
        &["جديدة"],
    ),
    (
        "ordinary word beside a town: واسعة (wide)",
        "بدأت قسد عملية تمشيط واسعة في ريف الحسكة",
        &[],
        &["واسعة"],
    ),
    (
        "the same kind of name used as a place is kept",
        "اشتباكات في الهول جنوب شرقي الحسكة",
        &[("الهول", 36.38, 41.15), ("الحسكة", HASAKAH.0, HASAKAH.1)],
        &[],
    ),
    (
        "a person, not Rabia",
        "وقالت المواطنة ربيعة خلف إن الانفجار وقع قرب سنجار",
        &[("سنجار", 36.32, 41.87)],
        &["ربيعة"],
    ),
    (
        "the acting officer, not al-Qaim",
        "وصل القائم بأعمال السفارة إلى الأنبار",
        &[],
        &["القائم"],
    ),
    (
        "in all fields, not al-Mayadin",
        "تنشط الميليشيات في مختلف الميادين قرب البوكمال",
        &[("البوكمال", ALBU_KAMAL.0, ALBU_KAMAL.1)],
        &["الميادين"],
    ),
    (
        "the TV channel, not al-Mayadin",
        "وذكرت قناة الميادين أن غارة استهدفت البوكمال",
        &[("البوكمال", ALBU_KAMAL.0, ALBU_KAMAL.1)],
        &["الميادين"],
    ),
    (
        "the horror, not al-Hol",
        "روت هول ما عاشته في الحسكة",
        &[("الحسكة", HASAKAH.0, HASAKAH.1)],
        &["هول"],
    ),
    (
        "a Turkish drone, not the village Turkiyah",
        "قتل مدنيان بقصف مسيرة تركية قرب القامشلي",
        &[("القامشلي", 37.052, 41.231)],
        &["تركية"],
    ),
];

/// (text, surface, place id): frontier places the probe articles missed or
/// put elsewhere, in short sentences as the press writes them.
const BY_ID: &[(&str, &str, &str)] = &[
    (
        "a second strike hit a depot near the village of al-Hari, east of Albu Kamal",
        "al-Hari",
        "sy-c5162",
    ),
    (
        "Fighters entered the eastern city of Deir el-Zour on Wednesday.",
        "Deir el-Zour",
        "sy-c5086",
    ),
    (
        "the drone attack on Tower 22 in northeastern Jordan, near the Rukban camp",
        "Tower 22",
        "cur-tower-22",
    ),
    (
        "IS fighters massacred the men of the village of Kocho, south of Sinjar.",
        "Kocho",
        "wof-1343334895",
    ),
    (
        "the bridge links the city to the Jazira side of the Euphrates",
        "Jazira",
        "cur-syrian-jazira",
    ),
    ("قصف على الباغوز صباح اليوم", "الباغوز", "sy-c5184"),
    (
        "قوات سوريا الديمقراطية تسيطر على الباغوز",
        "الباغوز",
        "sy-c5184",
    ),
    ("Fighting in Baghuz on Monday.", "Baghuz", "sy-c5184"),
    (
        "The SDF captured Baghouz, and the families were taken to al-Hol camp in Hasakah.",
        "Baghouz",
        "sy-c5184",
    ),
    ("ضبط شحنة مخدرات في منطقة عكاشات", "عكاشات", "cur-akashat"),
    (
        "Iraqi forces retook Akashat on Saturday.",
        "Akashat",
        "cur-akashat",
    ),
    (
        "صد الحشد تسللاً في منطقة وادي حوران غربي الأنبار",
        "وادي حوران",
        "cur-wadi-horan",
    ),
    (
        "استهدفت مسيّرة سيارة قرب مجمع خانصور في قضاء سنجار",
        "مجمع خانصور",
        "wof-1327207133",
    ),
    ("عادت النساء إلى مخيم روج", "روج", "cur-roj-camp"),
    (
        "دعت واشنطن الدول إلى استعادة رعاياها من مخيمي الهول وروج",
        "وروج",
        "cur-roj-camp",
    ),
    (
        "لجأت العائلات إلى مخيم نوروز في ديريك",
        "نوروز",
        "cur-newroz-camp",
    ),
    (
        "هاجم مسلحون غرفة الحراسة في حقل الجبسة",
        "الجبسة",
        "cur-jbeisa-oilfield",
    ),
    (
        "نزحت مئات العائلات من حي غويران",
        "حي غويران",
        "cur-ghwayran-prison",
    ),
    (
        "اعتقلت قسد 89 سجيناً في حيي الزهور والطلائع بالحسكة",
        "الزهور",
        "cur-hasakah-zuhur",
    ),
    (
        "اعتقلت قسد 89 سجيناً في حيي الزهور والطلائع بالحسكة",
        "والطلائع",
        "cur-hasakah-talai",
    ),
    (
        "قصفت مسيّرة سيارة على طريق ديريك – تربه سبيه",
        "تربه سبيه",
        "sy-c4751",
    ),
    (
        "حملة دهم في بلدة هجين وقرية أبو الحسن المجاورة",
        "أبو الحسن",
        "wof-1209336015",
    ),
    (
        "IS held Hajin, al-Shafah and al-Susah until January.",
        "al-Shafah",
        "sy-c5183",
    ),
];

#[test]
fn probe_places_resolve_to_their_ids() {
    let p = pipeline();
    let g = p.gazetteer();
    let mut failed = Vec::new();
    for (text, surface, id) in BY_ID {
        let found = p.mentions(text);
        let got = found
            .iter()
            .find(|m| m.surface == *surface)
            .map(|m| g.place(m.place).id.as_str());
        if got != Some(*id) {
            failed.push(format!(
                "{text}: `{surface}` -> {got:?}, want {id}; mentions {:?}",
                found
                    .iter()
                    .map(|m| (&m.surface, &g.place(m.place).id))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

fn check_row(name: &str, text: &str, want: &[Want], reject: &[&str]) {
    let p = pipeline();
    let found = p.mentions(text);
    let g = p.gazetteer();
    for (surface, lat, lon) in want {
        let m = found
            .iter()
            .find(|m| m.surface == *surface)
            .unwrap_or_else(|| {
                panic!(
                    "{name}: `{surface}` not found in {:?}",
                    found.iter().map(|m| &m.surface).collect::<Vec<_>>()
                )
            });
        let place = g.place(m.place);
        if lat.is_nan() {
            assert_eq!(place.id, "border-iq-sy", "{name}");
        } else {
            let d = haversine_km((place.lon, place.lat), (*lon, *lat));
            assert!(
                d < 15.0,
                "{name}: `{surface}` resolved to {} ({}) {d:.0} km away",
                place.name_en,
                place.id
            );
        }
    }
    for r in reject {
        assert!(
            !found
                .iter()
                .any(|m| m.surface.contains(r) && !want.iter().any(|w| w.0 == m.surface)),
            "{name}: `{r}` was tagged: {:?}",
            found
                .iter()
                .map(|m| (&m.surface, &g.place(m.place).name_en))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn tagger_table() {
    for (name, text, want, reject) in ROWS {
        check_row(name, text, want, reject);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Whatever surrounds a name — diacritics, tatweel, Latin, emoji, digits —
    /// every mention's offsets point exactly at its surface.
    #[test]
    fn offsets_always_point_at_the_surface(
        before in "[ a-zA-Zء-ي\u{064B}-\u{0652}\u{0640}0-9٠-٩😀,.،]{0,30}",
        after in "[ a-zA-Zء-ي\u{064B}-\u{0652}\u{0640}0-9٠-٩😀,.،]{0,30}",
        name in prop::sample::select(vec!["بالبوكمال", "ودير الزور", "الحسكة", "Abu Kamal", "للحدود السورية العراقية", "القائم"]),
    ) {
        let text = format!("{before} {name} {after}");
        let chars: Vec<char> = text.chars().collect();
        for m in pipeline().mentions(&text) {
            prop_assert!(m.start < m.end && m.end <= chars.len());
            let s: String = chars[m.start..m.end].iter().collect();
            prop_assert_eq!(s, m.surface);
        }
    }
}

/// Our own article in the style of the seed report: every place it names,
/// at the right coordinates, and nothing inside organisation names.
#[test]
fn frontier_overview_finds_every_place() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/frontier_overview_ar.txt"
    );
    let input = bordermap::Input {
        path: path.into(),
        rel: "overview".into(),
    };
    let article = bordermap::read_input(&input, None).articles.remove(0);
    let r = pipeline().process(&article);
    let has = |what: &str, ok: &dyn Fn(&bordermap::MentionRecord) -> bool| {
        assert!(
            r.mentions.iter().any(ok),
            "{what} not found: {:?}",
            r.mentions
                .iter()
                .map(|m| (&m.surface, &m.place_id))
                .collect::<Vec<_>>()
        );
    };
    let near = |m: &bordermap::MentionRecord, lat: f64, lon: f64, km: f64| {
        haversine_km((m.lon, m.lat), (lon, lat)) < km
    };
    for (gov, country) in [
        ("Nin", "IQ"),
        ("Anbar", "IQ"),
        ("Duhok", "IQ"),
        ("Hasakah", "SY"),
        ("Deir", "SY"),
        ("Homs", "SY"),
    ] {
        has(gov, &|m| {
            m.kind == "governorate" && m.country == country && m.name_en.contains(gov)
        });
    }
    has("al-Tanf", &|m| near(m, 33.50, 38.62, 30.0));
    has("Syrian Badia", &|m| {
        m.kind == "region" && m.name_en.contains("Badia")
    });
    has("Albu Kamal crossing", &|m| {
        m.kind == "crossing" && near(m, 34.41, 40.98, 10.0)
    });
    has("the border", &|m| m.place_id == "border-iq-sy");
    has("Kurdistan Region", &|m| {
        m.kind == "region" && m.name_en.contains("Kurdistan")
    });
    for c in ["IQ", "SY", "IR"] {
        has(c, &|m| m.kind == "country" && m.country == c);
    }
    // "إن بغداد تنسق مع قوات سوريا الديمقراطية": the government, not a place.
    assert!(
        !r.mentions.iter().any(|m| near(m, 33.315, 44.366, 15.0)),
        "Baghdad (the government) read as a place"
    );
    let text: Vec<char> = article.text.chars().collect();
    for org in ["قوات سوريا الديمقراطية", "روسيا اليوم"] {
        let at = article
            .text
            .find(org)
            .map(|b| article.text[..b].chars().count())
            .expect("org in text");
        let end = at + org.chars().count();
        assert!(
            !r.mentions.iter().any(|m| m.start < end && at < m.end),
            "a place inside {org}"
        );
        assert_eq!(text[at..end].iter().collect::<String>(), org);
    }
}

/// A position written in the text is a mention of its own, at that point,
/// named after the nearest gazetteer place, with its zone and border side.
#[test]
fn coordinates_in_text_become_point_mentions() {
    let article = bordermap::Article {
        id: "c".into(),
        date: chrono::NaiveDate::from_ymd_opt(2021, 6, 1),
        text: "سقطت قذائف عند الإحداثيات 34°27′N 40°55′E فجر اليوم.".into(),
        ..Default::default()
    };
    let r = pipeline().process(&article);
    let m = r
        .mentions
        .iter()
        .find(|m| m.kind == "coordinate")
        .expect("a coordinate mention");
    assert_eq!(m.surface, "34°27′N 40°55′E");
    assert!((m.lat - 34.45).abs() < 1e-4 && (m.lon - 40.916667).abs() < 1e-4);
    assert!(
        m.name_en.contains("Abu Kamal") || m.name_en.contains("Albu Kamal"),
        "{}",
        m.name_en
    );
    assert_eq!(m.border_side, "SY");
    assert_eq!(m.controller.as_deref(), Some("SY_GOV_ASSAD"));
    let e = r.events.first().expect("the shelling event");
    assert_eq!(e.kind, "coordinate");
    assert_eq!(e.geo_precision, 1);
}

/// "قرب مدينة X", "near the town of X": the near word before the kind word
/// still makes the place a reference point, not the spot itself.
#[test]
fn near_before_a_kind_word_still_counts() {
    for text in [
        "غارات على مواقع قرب مدينة البوكمال",
        "Strikes near the town of Abu Kamal",
    ] {
        let ms = pipeline().mentions(text);
        let m = ms
            .iter()
            .find(|m| m.surface.contains("كمال") || m.surface.contains("Kamal"))
            .expect("Albu Kamal");
        assert!(m.near, "{text}: {m:?}");
    }
}
