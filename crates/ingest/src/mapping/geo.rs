//! `geo_point` values: `AbstractPointGeometryFieldMapper.PointParser.parse` and
//! `GeoUtils.parseGeoPoint` / `GeoPoint.resetFromString`
//! (`server/src/main/java/org/opensearch/common/geo/GeoUtils.java`, `GeoPoint.java`):
//! `{"lat": .., "lon": ..}`, `{"geohash": ..}`, `"lat,lon"`, a geohash string,
//! `"POINT (lon lat)"`, `[lon, lat]`, or an array of those.

use serde_json::Value;

use super::error::JavaError;
use super::numbers;
use super::tokens::{Kind, Tokens};
use painless::value::java_double_to_string;

const BASE_32: &str = "0123456789bcdefghjkmnpqrstuvwxyz";

fn parse_err(msg: impl Into<String>) -> JavaError {
    JavaError::parse(msg)
}

fn assert_z(ignore_z: bool, z: f64) -> Result<(), JavaError> {
    if !ignore_z {
        return Err(parse_err(format!(
            "Exception parsing coordinates: found Z value [{}] but [ignore_z_value] parameter is [false]",
            java_double_to_string(z)
        )));
    }
    Ok(())
}

/// `ParsedGeoPoint.validate` (without `ignore_malformed`) or `normalize` (with it).
fn process(
    field: &str,
    lat: f64,
    lon: f64,
    ignore_malformed: bool,
) -> Result<(f64, f64), JavaError> {
    if !ignore_malformed {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(JavaError::illegal_argument(format!(
                "illegal latitude value [{}] for {field}",
                java_double_to_string(lat)
            )));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(JavaError::illegal_argument(format!(
                "illegal longitude value [{}] for {field}",
                java_double_to_string(lon)
            )));
        }
        return Ok((lat, lon));
    }
    if !lat.is_finite() || !lon.is_finite() {
        return Err(parse_err("cannot normalize the point - not a number"));
    }
    Ok(normalize_point(lat, lon))
}

/// `GeoUtils.normalizePoint` (latitude and longitude both normalised).
fn normalize_point(lat: f64, lon: f64) -> (f64, f64) {
    let (mut lat, mut lon) = (lat, lon);
    let norm_lat = !(-90.0..=90.0).contains(&lat);
    let norm_lon = !(-180.0..=180.0).contains(&lon) || norm_lat;
    if norm_lat {
        lat = centered_modulus(lat, 360.0);
        let mut shift = true;
        if lat < -90.0 {
            lat = -180.0 - lat;
        } else if lat > 90.0 {
            lat = 180.0 - lat;
        } else {
            shift = false;
        }
        if shift {
            // norm_lon is true whenever norm_lat is
            lon += 180.0;
        }
    }
    if norm_lon {
        lon = centered_modulus(lon, 360.0);
    }
    (lat, lon)
}

fn centered_modulus(dividend: f64, divisor: f64) -> f64 {
    let mut rtn = dividend % divisor;
    if rtn <= 0.0 {
        rtn += divisor;
    }
    if rtn > divisor / 2.0 {
        rtn -= divisor;
    }
    rtn
}

/// The points of the current value (moves the parser as the node's parser moves).
pub(crate) fn parse_points(
    p: &mut Tokens<'_>,
    field: &str,
    ignore_z: bool,
    ignore_malformed: bool,
    null_value: Option<&Value>,
) -> Result<Vec<(f64, f64)>, JavaError> {
    match p.current() {
        Some(Kind::StartArray) => {
            let mut token = p.next();
            let mut points = Vec::new();
            if matches!(token, Some(Kind::Int | Kind::Float)) {
                let x = numbers::double_value(p, true)?;
                p.next();
                let y = numbers::double_value(p, true)?;
                token = p.next();
                if matches!(token, Some(Kind::Int | Kind::Float)) {
                    assert_z(ignore_z, numbers::double_value(p, true)?)?;
                } else if token != Some(Kind::EndArray) {
                    return Err(parse_err("field type does not accept > 3 dimensions"));
                }
                points.push(process(field, y, x, ignore_malformed)?);
            } else {
                while token != Some(Kind::EndArray) {
                    if token.is_none() {
                        return Err(JavaError::new("NullPointerException", ""));
                    }
                    let (lat, lon) = parse_geo_point(p, ignore_z)?;
                    points.push(process(field, lat, lon, ignore_malformed)?);
                    token = p.next();
                }
            }
            Ok(points)
        }
        Some(Kind::Null) => match null_value {
            None => Ok(Vec::new()),
            Some(nv) => {
                let doc = serde_json::json!({ "v": nv });
                let mut t = Tokens::new(&doc);
                t.next();
                t.next();
                t.next();
                let (lat, lon) = parse_geo_point(&mut t, ignore_z)?;
                Ok(vec![process(field, lat, lon, ignore_malformed)?])
            }
        },
        _ => {
            let (lat, lon) = parse_geo_point(p, ignore_z)?;
            Ok(vec![process(field, lat, lon, ignore_malformed)?])
        }
    }
}

/// `GeoUtils.parseGeoPoint(parser, point, ignoreZValue)`. Objects and arrays are read through a
/// sub-parser, which is left at their end even when parsing fails.
fn parse_geo_point(p: &mut Tokens<'_>, ignore_z: bool) -> Result<(f64, f64), JavaError> {
    match p.current() {
        Some(Kind::StartObject) => {
            let start = p.position();
            let r = parse_object(p);
            p.seek_end_of(start);
            r
        }
        Some(Kind::StartArray) => {
            let start = p.position();
            let r = parse_array(p, ignore_z);
            p.seek_end_of(start);
            r
        }
        Some(Kind::String) => reset_from_string(&p.text()?, ignore_z),
        _ => Err(parse_err("geo_point expected")),
    }
}

fn parse_object(p: &mut Tokens<'_>) -> Result<(f64, f64), JavaError> {
    let mut lat = f64::NAN;
    let mut lon = f64::NAN;
    let mut geohash: Option<String> = None;
    let mut nfe = false;
    while p.next() == Some(Kind::FieldName) {
        let field = p.current_name().unwrap_or_default();
        match field.as_str() {
            "lat" | "lon" => {
                p.next();
                match p.current() {
                    Some(Kind::Int | Kind::Float | Kind::String) => {
                        match numbers::double_value(p, true) {
                            Ok(v) => {
                                if field == "lat" {
                                    lat = v;
                                } else {
                                    lon = v;
                                }
                            }
                            Err(e) if e.class == "NumberFormatException" => nfe = true,
                            Err(e) => return Err(e),
                        }
                    }
                    _ => {
                        return Err(parse_err(if field == "lat" {
                            "latitude must be a number"
                        } else {
                            "longitude must be a number"
                        }))
                    }
                }
            }
            "geohash" => {
                p.next();
                if p.current() == Some(Kind::String) {
                    geohash = Some(p.text()?);
                } else {
                    return Err(parse_err("geohash must be a string"));
                }
            }
            "type" | "coordinates" => {
                return Err(JavaError::unsupported("GeoJSON geo_point values"));
            }
            _ => return Err(parse_err("field must be either [lat], [lon] or [geohash]")),
        }
    }
    if let Some(h) = geohash {
        if !lat.is_nan() || !lon.is_nan() {
            return Err(parse_err("field must be either lat/lon or geohash"));
        }
        return decode_geohash(&h);
    }
    if nfe {
        return Err(parse_err("[lat] and [lon] must be valid double values"));
    }
    if lat.is_nan() {
        return Err(parse_err("field [lat] missing"));
    }
    if lon.is_nan() {
        return Err(parse_err("field [lon] missing"));
    }
    Ok((lat, lon))
}

fn parse_array(p: &mut Tokens<'_>, ignore_z: bool) -> Result<(f64, f64), JavaError> {
    let mut lat = f64::NAN;
    let mut lon = f64::NAN;
    let mut element = 0;
    loop {
        match p.next() {
            Some(Kind::EndArray) | None => break,
            Some(Kind::Int | Kind::Float) => {
                element += 1;
                let v = numbers::double_value(p, true)?;
                match element {
                    1 => lon = v,
                    2 => lat = v,
                    3 => assert_z(ignore_z, v)?,
                    _ => {
                        return Err(parse_err(
                            "[geo_point] field type does not accept > 3 dimensions",
                        ))
                    }
                }
            }
            Some(_) => return Err(parse_err("numeric value expected")),
        }
    }
    Ok((lat, lon))
}

fn java_double(s: &str) -> Option<f64> {
    match numbers::java_parse_double(s) {
        Some(numbers::DoubleText::Value(v)) => Some(v),
        _ => None,
    }
}

/// `GeoPoint.resetFromString`.
fn reset_from_string(value: &str, ignore_z: bool) -> Result<(f64, f64), JavaError> {
    if value.to_lowercase().contains("point") {
        return reset_from_wkt(value, ignore_z);
    }
    if value.contains(',') {
        let mut vals: Vec<&str> = value.split(',').collect();
        while vals.last().is_some_and(|v| v.is_empty()) {
            vals.pop();
        }
        if vals.len() > 3 {
            return Err(parse_err(format!(
                "failed to parse [{}], expected 2 or 3 coordinates but found: [{{}}]",
                vals.len()
            )));
        }
        let lat = java_double(vals.first().copied().unwrap_or("").trim())
            .ok_or_else(|| parse_err("latitude must be a number"))?;
        let Some(lon_text) = vals.get(1) else {
            return Err(JavaError::new(
                "ArrayIndexOutOfBoundsException",
                format!("Index 1 out of bounds for length {}", vals.len()),
            ));
        };
        let lon =
            java_double(lon_text.trim()).ok_or_else(|| parse_err("longitude must be a number"))?;
        if let Some(z) = vals.get(2) {
            let z = java_double(z.trim()).ok_or_else(|| {
                JavaError::number_format(format!("For input string: \"{}\"", z.trim()))
            })?;
            assert_z(ignore_z, z)?;
        }
        return Ok((lat, lon));
    }
    decode_geohash(value)
}

fn reset_from_wkt(value: &str, ignore_z: bool) -> Result<(f64, f64), JavaError> {
    let t = value.trim();
    let upper = t.to_uppercase();
    let Some(rest) = upper.strip_prefix("POINT") else {
        return Err(JavaError::unsupported(format!(
            "WKT geo_point value [{value}]"
        )));
    };
    let rest = rest.trim();
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| JavaError::unsupported(format!("WKT geo_point value [{value}]")))?;
    let nums: Vec<f64> = inner
        .split_whitespace()
        .map(java_double)
        .collect::<Option<_>>()
        .ok_or_else(|| JavaError::unsupported(format!("WKT geo_point value [{value}]")))?;
    match nums.as_slice() {
        [lon, lat] => Ok((*lat, *lon)),
        [lon, lat, z] => {
            assert_z(ignore_z, *z)?;
            Ok((*lat, *lon))
        }
        _ => Err(JavaError::unsupported(format!(
            "WKT geo_point value [{value}]"
        ))),
    }
}

/// A geohash: its cell (the stored point is the cell's centre here; the node's exact rounding
/// is not emulated).
fn decode_geohash(hash: &str) -> Result<(f64, f64), JavaError> {
    if hash.is_empty() || hash.chars().count() > 12 {
        return Err(JavaError::unsupported(format!("geohash [{hash}]")));
    }
    let (mut lat_lo, mut lat_hi, mut lon_lo, mut lon_hi) = (-90.0, 90.0, -180.0, 180.0);
    let mut even = true;
    for c in hash.chars() {
        let Some(idx) = BASE_32.find(c) else {
            return Err(
                JavaError::parse(format!("unsupported symbol [{c}] in geohash [{hash}]"))
                    .with_cause(JavaError::illegal_argument(format!(
                        "unsupported symbol [{c}] in geohash [{hash}]"
                    ))),
            );
        };
        for bit in (0..5).rev() {
            let on = (idx >> bit) & 1 == 1;
            if even {
                let mid = (lon_lo + lon_hi) / 2.0;
                if on {
                    lon_lo = mid;
                } else {
                    lon_hi = mid;
                }
            } else {
                let mid = (lat_lo + lat_hi) / 2.0;
                if on {
                    lat_lo = mid;
                } else {
                    lat_hi = mid;
                }
            }
            even = !even;
        }
    }
    Ok(((lat_lo + lat_hi) / 2.0, (lon_lo + lon_hi) / 2.0))
}
