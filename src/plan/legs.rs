//! The legs of a matrix, as the Actions runner expands it: the product of
//! the axes, minus the `exclude` entries, then each `include` entry either
//! added to every leg it fits or, when it fits none, added as a leg of its
//! own.
//!
//! An `include` entry fits a leg when none of its values would overwrite
//! one of the leg's *axis* values (values added by an earlier `include`
//! may be overwritten). An `exclude` entry removes every leg that has all
//! of its values.

use crate::model::{Data, Matrix};

/// One leg: every variable of the matrix and its value, in axis order
/// (variables an `include` adds come last).
pub type Leg = Vec<(String, Data)>;

/// The legs of `matrix`, in the order the runner starts them; none for a
/// matrix computed from an expression (its legs are known at run time).
pub fn legs(matrix: &Matrix) -> Vec<Leg> {
    if matrix.expression.is_some() {
        return Vec::new();
    }
    let mut legs: Vec<Leg> = vec![Vec::new()];
    for (axis, values) in matrix.axes.iter() {
        legs = legs
            .into_iter()
            .flat_map(|leg| {
                values.values().iter().map(move |value| {
                    let mut leg = leg.clone();
                    leg.push((axis.to_string(), value.clone()));
                    leg
                })
            })
            .collect();
    }
    if matrix.axes.is_empty() {
        legs.clear();
    }
    legs.retain(|leg| {
        !matrix
            .exclude
            .iter()
            .any(|entry| entry.iter().all(|(key, value)| get(leg, key.as_str()) == Some(value)))
    });
    let axes: Vec<&str> = matrix.axes.keys().collect();
    let original = legs.len();
    for entry in &matrix.include {
        let mut fitted = false;
        for leg in legs.iter_mut().take(original) {
            let fits = entry.iter().all(|(key, value)| {
                !axes.contains(&key.as_str()) || get(leg, key.as_str()) == Some(value)
            });
            if fits {
                fitted = true;
                for (key, value) in entry.iter() {
                    set(leg, key.as_str(), value);
                }
            }
        }
        if !fitted {
            legs.push(entry.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
        }
    }
    legs
}

fn get<'a>(leg: &'a Leg, key: &str) -> Option<&'a Data> {
    leg.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn set(leg: &mut Leg, key: &str, value: &Data) {
    match leg.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value.clone(),
        None => leg.push((key.to_owned(), value.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Axis, AxisName, Map, Scalar};

    fn s(v: &str) -> Data {
        Data::Scalar(Scalar::String(v.to_owned()))
    }

    fn entry(pairs: &[(&str, &str)]) -> Map<AxisName, Data> {
        let mut map = Map::default();
        for (k, v) in pairs {
            map.insert(AxisName::new(k).unwrap(), s(v));
        }
        map
    }

    fn shown(legs: &[Leg]) -> Vec<String> {
        legs.iter()
            .map(|leg| {
                leg.iter()
                    .map(|(k, v)| {
                        format!(
                            "{k}={}",
                            v.as_scalar().map(ToString::to_string).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    }

    /// The example of GitHub's documentation for `include`.
    #[test]
    fn include_extends_fitting_legs_or_adds_its_own() {
        let mut matrix = Matrix::default();
        matrix
            .axes
            .insert(AxisName::new("fruit").unwrap(), Axis::Values(vec![s("apple"), s("pear")]));
        matrix
            .axes
            .insert(AxisName::new("animal").unwrap(), Axis::Values(vec![s("cat"), s("dog")]));
        matrix.include = vec![
            entry(&[("color", "green")]),
            entry(&[("color", "pink"), ("animal", "cat")]),
            entry(&[("fruit", "apple"), ("shape", "circle")]),
            entry(&[("fruit", "banana")]),
            entry(&[("fruit", "banana"), ("animal", "cat")]),
        ];
        assert_eq!(
            shown(&legs(&matrix)),
            [
                "fruit=apple,animal=cat,color=pink,shape=circle",
                "fruit=apple,animal=dog,color=green,shape=circle",
                "fruit=pear,animal=cat,color=pink",
                "fruit=pear,animal=dog,color=green",
                "fruit=banana",
                "fruit=banana,animal=cat",
            ]
        );
    }

    #[test]
    fn exclude_removes_matching_legs() {
        let mut matrix = Matrix::default();
        matrix.axes.insert(AxisName::new("os").unwrap(), Axis::Values(vec![s("linux"), s("mac")]));
        matrix.axes.insert(AxisName::new("py").unwrap(), Axis::Values(vec![s("3.12"), s("3.13")]));
        matrix.exclude = vec![entry(&[("os", "mac"), ("py", "3.12")])];
        assert_eq!(
            shown(&legs(&matrix)),
            ["os=linux,py=3.12", "os=linux,py=3.13", "os=mac,py=3.13"]
        );
    }

    #[test]
    fn a_matrix_of_includes_only_has_one_leg_each() {
        let matrix = Matrix {
            include: vec![entry(&[("a", "1")]), entry(&[("a", "2")])],
            ..Matrix::default()
        };
        assert_eq!(shown(&legs(&matrix)), ["a=1", "a=2"]);
    }
}
